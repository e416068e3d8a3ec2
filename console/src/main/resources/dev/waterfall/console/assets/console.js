// The settings console's page: plain JavaScript, served by the console itself (docs/console.md).
// Every value is put into the page as text (textContent), never as HTML.
"use strict";

const state = { session: null, keys: new Map(), filter: "", editing: null, pendingEdit: null };

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("data-")) node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function shown(value) {
  if (!value) return "-";
  if (value.redacted) return "<redacted>";
  return value.json;
}

async function api(method, path, body, headers) {
  const options = { method, headers: Object.assign({}, headers || {}), credentials: "same-origin" };
  if (method !== "GET") options.headers["X-Waterfall-CSRF"] = state.session.csrf;
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  return { status: response.status, ok: response.ok, data };
}

function keyPath(key) { return "/api/keys/" + encodeURIComponent(key); }

function notice(text) {
  const box = document.getElementById("notice");
  box.textContent = text;
  box.hidden = !text;
}

// ---- keys

async function loadKeys() {
  const result = await api("GET", "/api/keys");
  const broken = document.getElementById("broken");
  if (!result.ok) {
    broken.hidden = false;
    document.getElementById("broken-message").textContent = result.data ? result.data.error : "HTTP " + result.status;
    document.getElementById("restore").hidden = !state.session.backups || state.session.readOnly;
    document.getElementById("rows").replaceChildren();
    return;
  }
  broken.hidden = true;
  state.keys = new Map(result.data.keys.map(entry => [entry.key, entry]));
  render();
}

function matches(entry) {
  const filter = state.filter.toLowerCase();
  if (!filter) return true;
  return entry.key.toLowerCase().includes(filter)
    || (entry.value && !entry.value.redacted && entry.value.json.toLowerCase().includes(filter))
    || (entry.origin || "").toLowerCase().includes(filter);
}

function render() {
  const rows = [];
  let group = null;
  const keys = [...state.keys.keys()].sort();
  for (const key of keys) {
    const entry = state.keys.get(key);
    if (!entry.present || !matches(entry)) continue;
    const dot = key.lastIndexOf(".");
    const parent = dot < 0 ? "" : key.substring(0, dot);
    if (parent !== group) {
      group = parent;
      if (parent) rows.push(el("tr", { class: "group" }, el("td", { colSpan: 7, text: parent })));
    }
    rows.push(row(entry));
  }
  document.getElementById("rows").replaceChildren(...rows);
}

function row(entry) {
  const key = entry.key;
  const dot = key.lastIndexOf(".");
  const keyCell = el("td", { class: "key" },
    dot < 0 ? null : el("span", { class: "parent", text: key.substring(0, dot + 1) }),
    el("span", { class: "name", text: dot < 0 ? key : key.substring(dot + 1) }));
  const valueCell = el("td", { class: "value" });
  const actions = el("td", { class: "writes actions" });
  const tr = el("tr", { "data-key": key }, keyCell, valueCell,
    el("td", { class: "type", text: entry.value ? entry.value.type : "" }),
    el("td", { class: "layer", text: entry.layer || "" }),
    el("td", { class: "origin", text: entry.origin || "" }),
    el("td", { class: "shadows", text: entry.layers.filter(l => !l.wins).map(l => l.layer + " " + shown(l.value) + " (" + l.origin + ")").join("; ") }),
    actions);
  if (state.editing === key) {
    const input = el("input", { class: "edit-input", value: entry.value && !entry.value.redacted ? entry.value.json : "" });
    input.setAttribute("aria-label", "new value of " + key);
    const error = el("span", { class: "field-error" });
    const save = el("button", { type: "button", class: "save", text: "Save" });
    const cancel = el("button", { type: "button", class: "cancel", text: "Cancel" });
    save.addEventListener("click", () => saveEdit(entry, input.value, entry.revision, error));
    cancel.addEventListener("click", () => { state.editing = null; render(); });
    input.addEventListener("keydown", e => {
      if (e.key === "Enter") save.click();
      if (e.key === "Escape") cancel.click();
    });
    valueCell.append(input, save, cancel, error);
    if (entry.envOverrides) valueCell.append(el("span", { class: "env-note", text: "Overridden by the environment variable " + entry.envVariable + ": what you save goes to the store, but " + entry.envVariable + " still wins." }));
    if (entry.schema) valueCell.append(el("span", { class: "schema", text: entry.schema }));
    setTimeout(() => input.focus(), 0);
  } else {
    valueCell.append(el("code", { text: shown(entry.value) }));
    if (entry.envOverrides) valueCell.append(el("span", { class: "env-note", text: "from " + entry.envVariable + " (the environment overrides the store)" }));
    if (entry.schema) valueCell.append(el("span", { class: "schema", text: entry.schema }));
    if (entry.changedBy) valueCell.append(el("span", { class: "by", text: "changed by " + entry.changedBy }));
    const edit = el("button", { type: "button", class: "edit", text: "Edit" });
    edit.setAttribute("aria-label", "edit " + key);
    edit.addEventListener("click", () => { state.editing = key; render(); });
    actions.append(edit);
    if (entry.stored) {
      const remove = el("button", { type: "button", class: "remove", text: entry.hasLower ? "Reset to default" : "Remove" });
      remove.setAttribute("aria-label", (entry.hasLower ? "reset to default " : "remove ") + key);
      remove.addEventListener("click", () => removeKey(entry));
      actions.append(remove);
    }
  }
  if (entry.highlight) tr.classList.add("changed");
  return tr;
}

async function saveEdit(entry, text, revision, errorBox) {
  const result = await api("PUT", keyPath(entry.key), { value: text }, { "If-Match": String(revision) });
  handleWrite(entry.key, result, text, errorBox);
}

async function removeKey(entry) {
  const result = await api("DELETE", keyPath(entry.key), undefined, { "If-Match": String(entry.revision) });
  handleWrite(entry.key, result, null, null);
}

function handleWrite(key, result, mine, errorBox) {
  if (result.status === 412 && result.data && result.data.current) {
    showConflict(key, result.data.current, mine);
    return;
  }
  if (!result.ok) {
    const message = result.data ? result.data.error : "HTTP " + result.status;
    if (errorBox) errorBox.textContent = message; else notice(message);
    return;
  }
  notice((result.data.warnings || []).join(" "));
  state.editing = null;
  update(result.data.entry, null);
  render();
}

function showConflict(key, current, mine) {
  state.editing = null;
  update(current, null);
  render();
  document.getElementById("conflict-key").textContent = key;
  document.getElementById("conflict-theirs").textContent = current.present ? shown(current.value) : "(removed)";
  document.getElementById("conflict-by").textContent = current.updatedBy || "another writer";
  document.getElementById("conflict-at").textContent = current.updatedAt || "an unknown time";
  document.getElementById("conflict-mine").textContent = mine === null ? "(removed)" : mine;
  state.pendingEdit = { key, mine, revision: current.stored ? current.revision : 0 };
  const box = document.getElementById("conflict");
  box.hidden = false;
  document.getElementById("conflict-keep").focus();
}

async function resolveConflict(overwrite) {
  const pending = state.pendingEdit;
  document.getElementById("conflict").hidden = true;
  state.pendingEdit = null;
  if (!overwrite || !pending) return;
  const headers = { "If-Match": String(pending.revision) };
  const result = pending.mine === null ? await api("DELETE", keyPath(pending.key), undefined, headers)
    : await api("PUT", keyPath(pending.key), { value: pending.mine }, headers);
  handleWrite(pending.key, result, pending.mine, null);
}

function update(entry, by) {
  if (!entry) return;
  if (by) { entry.changedBy = by; entry.highlight = true; }
  state.keys.set(entry.key, entry);
}

// ---- live

function listen() {
  const status = document.getElementById("status");
  const source = new EventSource("/api/events");
  source.onopen = () => { status.textContent = "live: changes by any writer appear here"; };
  source.onerror = () => { status.textContent = "reconnecting…"; };
  source.addEventListener("commit", message => {
    const event = JSON.parse(message.data);
    if (event.reload) { loadKeys(); return; }
    document.getElementById("broken").hidden = true;
    for (const entry of event.keys) update(entry, event.by + (event.at ? " at " + event.at : ""));
    if (state.editing === null) render();
    status.textContent = "r" + event.revision + " by " + event.by;
    setTimeout(() => {
      for (const entry of event.keys) { const e = state.keys.get(entry.key); if (e) e.highlight = false; }
      for (const tr of document.querySelectorAll("tr.changed")) tr.classList.remove("changed");
    }, 3000);
    if (!document.getElementById("history").hidden) loadHistory();
  });
}

// ---- history, backups, doctor

async function loadHistory() {
  const result = await api("GET", "/api/history?limit=200");
  if (!result.ok) { notice(result.data ? result.data.error : "HTTP " + result.status); return; }
  document.getElementById("history-rows").replaceChildren(...result.data.map(record => {
    const undo = el("button", { type: "button", class: "undo", text: "Undo" });
    undo.addEventListener("click", async () => {
      const done = await api("POST", "/api/undo", { revision: record.revision });
      notice(done.ok ? "undid r" + record.revision + " as r" + done.data.revision : (done.data ? done.data.error : "HTTP " + done.status));
      loadHistory();
      loadKeys();
    });
    return el("tr", { "data-revision": String(record.revision) },
      el("td", { text: "r" + record.revision }), el("td", { text: record.at }), el("td", { text: record.key }),
      el("td", { text: (record.old ? shown(record.old) : "(absent)") + " → " + (record.new ? shown(record.new) : "(removed)") }),
      el("td", { text: record.by }), el("td", { class: "writes" }, record.external ? null : undo));
  }));
}

async function loadBackups() {
  const result = await api("GET", "/api/backups");
  if (!result.ok) { notice(result.data ? result.data.error : "HTTP " + result.status); return; }
  document.getElementById("backup-rows").replaceChildren(...result.data.map(backup => {
    const restore = el("button", { type: "button", class: "restore", text: "Restore" });
    restore.addEventListener("click", () => restoreBackup(backup.name));
    return el("tr", {}, el("td", { text: backup.name }), el("td", { text: backup.takenAt }), el("td", { text: String(backup.bytes) }),
      el("td", { text: backup.valid ? "yes" : "no: " + (backup.problem || "") }), el("td", { class: "writes" }, backup.valid ? restore : null));
  }));
}

async function restoreBackup(name) {
  const result = await api("POST", "/api/backups/restore", name ? { name } : {});
  notice(result.ok ? "restored " + result.data.restored + (result.data.movedAsideTo ? "; the broken file was kept as " + result.data.movedAsideTo : "")
    : (result.data ? result.data.error : "HTTP " + result.status));
  loadKeys();
}

async function loadDoctor() {
  const result = await api("GET", "/api/doctor");
  if (!result.ok) { notice(result.data ? result.data.error : "HTTP " + result.status); return; }
  const items = result.data.map(f => el("li", { class: f.severity, text: f.severity + ": " + f.subject + ": " + f.message }));
  document.getElementById("findings").replaceChildren(...(items.length ? items : [el("li", { text: "no findings" })]));
}

const loaders = { keys: loadKeys, history: loadHistory, backups: loadBackups, doctor: loadDoctor };

function show(section) {
  for (const button of document.querySelectorAll("nav button")) {
    const on = button.dataset.section === section;
    button.setAttribute("aria-pressed", String(on));
    document.getElementById(button.dataset.section).hidden = !on;
  }
  loaders[section]();
}

async function start() {
  const session = await api("GET", "/api/session");
  if (!session.ok) {
    notice(session.data ? session.data.error : "HTTP " + session.status);
    return;
  }
  state.session = session.data;
  document.getElementById("store").textContent = session.data.app + ": " + session.data.store + (session.data.readOnly ? " (read-only)" : "");
  if (session.data.readOnly) document.body.classList.add("read-only");
  for (const button of document.querySelectorAll("nav button")) button.addEventListener("click", () => show(button.dataset.section));
  document.getElementById("filter").addEventListener("input", e => { state.filter = e.target.value; render(); });
  document.getElementById("conflict-keep").addEventListener("click", () => resolveConflict(false));
  document.getElementById("conflict-overwrite").addEventListener("click", () => resolveConflict(true));
  document.getElementById("restore").addEventListener("click", () => restoreBackup(null));
  document.getElementById("add").addEventListener("submit", async e => {
    e.preventDefault();
    const key = document.getElementById("add-key").value.trim();
    const value = document.getElementById("add-value").value;
    const known = state.keys.get(key);
    const revision = known && known.stored ? known.revision : 0;
    const error = document.getElementById("add-error");
    error.textContent = "";
    const result = await api("PUT", keyPath(key), { value }, { "If-Match": String(revision) });
    handleWrite(key, result, value, error);
    if (result.ok) { document.getElementById("add-key").value = ""; document.getElementById("add-value").value = ""; }
  });
  await loadKeys();
  listen();
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);

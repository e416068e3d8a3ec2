# The JVM options of the `waterfall` command: one source for both launchers, the checkout's
# ./waterfall and the installed tool's bin/waterfall (scripts/dist copies this file to the
# tarball's lib/). Sourced by bash, not run: it defines waterfall_jvm_options and nothing else.
#
#   waterfall_jvm_options JIT_DIR ARG...   # sets the array jvm_options for running `waterfall ARG...`
#
# JIT_DIR is the folder of HotSpot compiler-directive files (cli/src/main/jit in a checkout, lib/jit
# in the tarball). The caller adds its start-up archive and the class or module path. Also exports
# LC_ALL=C.UTF-8 when the locale is not UTF-8 (see below).

waterfall_jvm_options() {
  local jit_dir="$1"
  shift
  # Java decodes the arguments with the locale's character set; under the POSIX locale `set name Rosé`
  # would store "Ros??". Use UTF-8 when the locale does not say it already.
  case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
    *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
    *) export LC_ALL=C.UTF-8 ;;
  esac

  # Most commands are over in a fraction of a second, before the optimising JIT (C2) would pay off, so
  # the JIT stops at C1. An export, import or migration streams a whole store for seconds: there C2
  # pays for itself, most of all through its SHA-256 intrinsic for the dump's hash (C1 runs SHA-256 as
  # plain Java, half the time of a C1-only export of a million rows).
  #
  # An export keeps C2 to what its speed waits on (jit/export.json, HotSpot's compiler
  # directives): SHA-256, and the code that reads and encodes rows when the database runs in this
  # process (SQLite's driver, the page parser, the row writer and its checks). The rest, PostgreSQL's
  # driver and COPY parser among it, runs as C1 code: there the export waits for the server, and on a
  # small machine C2's compiling (0.6 s of CPU for a million rows) takes a core from a local server. A
  # million-row export from a local PostgreSQL took 13-19 % less time, from SQLite the same
  # (docs/benchmarks.md, ## Export). The JVM announces the directives on stdout ("2 compiler directives
  # added"), where the command's output goes: -DisplayVMOutput silences the JVM's own prints there (its
  # warnings still reach stderr; _JAVA_OPTIONS='-XX:+UnlockDiagnosticVMOptions -XX:+DisplayVMOutput'
  # brings them back for diagnosis).
  #
  # A secret kept in the secrets file is decrypted with a key derived by PBKDF2: 600,000 rounds of
  # HMAC-SHA256, 2 s as C1 code and 0.6 s with C2 for the hash, HMAC and PBKDF2 classes alone
  # (jit/secrets.json). So `secret` commands, and a `get` where there is a secrets file
  # (which it may read), have C2 for those; other commands stay C1 only, since tiered profiling costs
  # a plain `get` ~10 ms (docs/benchmarks.md, ## Secrets). The file's place is looked for as the tool
  # finds it by default; where the guess is wrong only the speed differs.
  local jit=(-XX:TieredStopAtLevel=1)
  local arg secrets_file
  for arg in "$@"; do
    case "$arg" in
      export) _waterfall_directives "$jit_dir/export.json"; break ;;
      import | migrate) jit=(); break ;;
      secret) _waterfall_directives "$jit_dir/secrets.json"; break ;;
      get)
        # where the secrets file is by default (no subshell: start-up counts)
        if [[ -n "${WATERFALL_SECRETS_FILE:-}" ]]; then
          secrets_file="$WATERFALL_SECRETS_FILE"
        elif [[ "$OSTYPE" == darwin* ]]; then
          secrets_file="${HOME:-}/Library/Application Support/waterfall/secrets.enc.json"
        else
          secrets_file="${XDG_CONFIG_HOME:-${HOME:-}/.config}/waterfall/secrets.enc.json"
        fi
        [[ -f "$secrets_file" ]] && _waterfall_directives "$jit_dir/secrets.json"
        break ;;
    esac
  done
  # (No -Xshare:auto: it is the JVM's default, and JDK 25 refuses it beside -XX:AOTCache.)
  jvm_options=("${jit[@]}" -XX:+UseSerialGC -XX:-UsePerfData)
}

# Sets jit to the options for HotSpot's compiler directives in FILE if it is there, else to none
# (the JVM's usual JIT, C2 included, for all the code).
_waterfall_directives() {
  jit=()
  if [[ -f "$1" ]]; then
    jit=(-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile="$1" -XX:-DisplayVMOutput)
  fi
}

/**
 * The PostgreSQL store's schema migrations ({@code V<n>__<what>.sql}, resources of this package),
 * applied by Flyway (under its advisory lock) when a store is first used. Never edit a released
 * migration: add the next one.
 */
package dev.waterfall.postgres.migration;

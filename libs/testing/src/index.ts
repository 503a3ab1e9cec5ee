/**
 * Test support shared by every level (lib integration specs, the e2e suite
 * under test/, the benches): a throw-away PostgreSQL database per test file
 * and a BullMQ prefix of its own per test. Never imported by production code.
 */
export * from './postgres';
export * from './redis';
export * from './specification';
export * from './child-process';
export * from './pglite';

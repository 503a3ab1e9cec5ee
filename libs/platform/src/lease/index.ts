export * from './leader-lease';
export * from './leader-leases';

export * from './checkpoint';
export * from './checkpoint-store.port';
export * from './sql.checkpoint-store';
export * from './stream.checkpoint-store';
export * from './checkpointer';
export * from './store-verifier';
export * from './export';
export * from './open-checkpoint-store';

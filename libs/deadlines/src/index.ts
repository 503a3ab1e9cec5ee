export * from './deadline-kind';
export * from './desired-deadlines';
export * from './deadline-queue';
export * from './deadline-processor';
export * from './deadline-reactor';
export * from './deadline-sweep';
export * from './deadline-metrics';
export * from './reactor-checkpoint';

export * from './report-params';
export * from './log-scan';
export * from './exit-report';
export * from './what-if';
export * from './cohorts';

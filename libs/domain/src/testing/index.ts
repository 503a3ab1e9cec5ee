export * from './builders';
export * from './decider-specification';
export * from './case-scenarios';

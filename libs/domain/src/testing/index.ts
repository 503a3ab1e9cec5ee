export * from './builders';
export * from './decider-specification';

export * from './shared/business-date';
export * from './shared/errors';
export * from './case/case.vocabulary';
export * from './case/case.commands';
export * from './case/case.events';
export * from './case/case.state';
export * from './policy/contact-policy';

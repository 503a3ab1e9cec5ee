export * from './envelope';
export * from './personal-fields';
export * from './personal-data-keys';
export * from './personal-data.event-store';
export * from './customer-disposal';

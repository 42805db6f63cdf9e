export * from './errors';
export * from './routes';
export * from './status';
export * from './manifest';
export * from './readiness';
export * from './plan';
export * from './plan_api';
export * from './sizing';

export * from './errors';
export * from './routes';
export * from './status';
export * from './manifest';

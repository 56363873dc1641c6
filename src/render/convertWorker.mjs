// Worker threads do not inherit tsx's loader (Node ignores --import in a worker's execArgv), so
// this plain entry registers it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./convertWorker.ts');

/** Worker-thread side of parallel bagging: serves the bag tasks parallel.ts posts. */
import { parentPort } from 'node:worker_threads';
import { serveBagTasks } from './parallel';

if (parentPort !== null) {
  serveBagTasks(parentPort);
}

/**
 * Adds `diagnostics` to the services the IPC handlers reach. Declared here by module augmentation so the diagnostics
 * work did not have to edit workstation-services.ts at the same time as others; the field belongs there and can move
 * into the interface itself as one line (`readonly diagnostics: Diagnostics;`) with this file deleted.
 */
import type { Diagnostics } from './diagnostics';

declare module '../workstation-services' {
  interface WorkstationServices {
    readonly diagnostics: Diagnostics;
  }
}

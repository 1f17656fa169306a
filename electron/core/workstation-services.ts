import type { ModelStatusView } from '../../shared/ipc/scoring';
import type { SystemStatus } from '../../shared/ipc/system';
import type { EventName, EventPayload } from '../../shared/ipc/events';
import type { AuditService } from './audit/audit-service';
import type { DeviceKey } from './crypto/device-key';
import type { OfficerService } from './officers/officer-service';
import type { SessionManager } from './sessions/session-manager';
import type { SettingsService } from './system/settings-service';
import type { Store } from './store';
import type { ApplicantService } from './applicants/applicant-service';
import type { BehaviourService } from './behaviour/behaviour-service';
import type { ConsentService } from './consent/consent-service';
import type { ApplicantDetail } from '../../shared/ipc/applicants';
import type { ModelService } from './scoring/model-service';
import type { ScoringService } from './scoring/scoring-service';
import type { DecisionService } from './decisions/decision-service';
import type { LetterService } from './letters/letter-service';
import type { WorkstationSync } from './sync/workstation-sync';
import type { CentralConsole } from './sync/central-console';
import type { Diagnostics } from './diagnostics/diagnostics';
import type { RetentionService } from './lifecycle/retention';
import type { RecoveryService } from './recovery/recovery-service';

/** The services the IPC handlers reach. `createWorkstation` builds them; nothing here is a module singleton. */
export interface WorkstationServices {
  readonly store: Store;
  /** Log file, error counters, last crash and the "Report a problem" bundle (electron/core/diagnostics). */
  readonly diagnostics: Diagnostics;
  readonly deviceKey: DeviceKey;
  readonly officers: OfficerService;
  readonly sessions: SessionManager;
  readonly settings: SettingsService;
  readonly audit: AuditService;
  readonly consent: ConsentService;
  readonly applicants: ApplicantService;
  readonly behaviour: BehaviourService;
  readonly model: ModelService;
  readonly scoring: ScoringService;
  readonly decisions: DecisionService;
  /** The retention rule and legal holds (electron/core/lifecycle/retention.ts). */
  readonly retention: RetentionService;
  /** Daily recovery bundles to the administrator's removable-drive folder (electron/core/recovery/recovery-service.ts). */
  readonly recovery: RecoveryService;
  readonly letters: LetterService;
  readonly sync: WorkstationSync;
  readonly centralConsole: CentralConsole;
  /** Where `model:reload` reads the package from: the installed release, else the shipped package. */
  modelDir(): string;
  /** Loads a release folder: its champion, and its challenger or none (workstation.ts). */
  loadModel(dir: string): Promise<ModelStatusView>;
  /** Pushes an event to one connection's renderer. */
  emit<E extends EventName>(connectionId: string, event: E, payload: EventPayload<E>): void;
  status(): SystemStatus;
  applicantDetail(applicantId: string): ApplicantDetail;
  exportApplicant(actorId: string, applicantId: string): { json: string; text: string; fileName: string };
  backup(actorId: string): { file: string; bytes: number; createdAt: string };
  recordSignOut(officerId: string, reason: 'signed-out' | 'replaced'): void;
  endSessionsOf(officerId: string, reason: 'account-disabled'): void;
}

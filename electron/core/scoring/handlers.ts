/**
 * IPC handlers of the scoring, decisions, letters and model channels: thin calls into the services. Spread into
 * `createHandlers` (electron/core/ipc/handlers.ts); access rules live in shared/ipc/scoring.ts.
 */
import type { ModelStatusView } from '../../../shared/ipc/scoring';
import type { EventName, EventPayload } from '../../../shared/ipc/events';
import type { decisionsChannels, lettersChannels, modelChannels, scoringChannels } from '../../../shared/ipc/scoring';
import type { DecisionService } from '../decisions/decision-service';
import { NexisError } from '../errors';
import type { HandlerContext } from '../ipc/handlers';
import type { HandlersOf } from '../ipc/handler-types';
import type { LetterService } from '../letters/letter-service';
import type { Store } from '../store';
import type { ModelService } from './model-service';
import type { ApplicantService } from '../applicants/applicant-service';
import { replayDecision } from './replay';
import type { ScoringService } from './scoring-service';

export interface ScoringServices {
  readonly store: Store;
  /** The applicants' data keys: score inputs are sealed under them (score-seal.ts). */
  readonly applicants: ApplicantService;
  readonly model: ModelService;
  readonly scoring: ScoringService;
  readonly decisions: DecisionService;
  readonly letters: LetterService;
  /** Loads a release folder: its champion, and its challenger or none (workstation.ts). */
  loadModel(dir: string): Promise<ModelStatusView>;
  /** Where `model:reload` reads the package from (the installed release, else the shipped package). */
  modelDir(): string;
  /** Pushes an event to one connection (batch progress). */
  emit<E extends EventName>(connectionId: string, event: E, payload: EventPayload<E>): void;
}

export type ScoringHandlers = HandlersOf<typeof scoringChannels> &
  HandlersOf<typeof decisionsChannels> &
  HandlersOf<typeof lettersChannels> &
  HandlersOf<typeof modelChannels>;

function officerOf(ctx: HandlerContext): { id: string; role: NonNullable<HandlerContext['officer']>['role'] } {
  if (!ctx.officer || !ctx.session) {
    throw new NexisError('NOT_SIGNED_IN', 'Sign in first.');
  }
  return { id: ctx.officer.id, role: ctx.officer.role };
}

export function createScoringHandlers(s: ScoringServices): ScoringHandlers {
  return {
    'scoring:score': (ctx, input) => s.scoring.score(officerOf(ctx).id, input.applicantId),
    'scoring:whatIf': (_ctx, input) => s.scoring.whatIfForApplicant(input.applicantId, input.changes),
    'scoring:latest': (_ctx, input) => s.scoring.latest(input.applicantId),
    'scoring:progress': (_ctx, input) => s.scoring.progress(input.applicantId),
    'scoring:batch': (ctx, input) =>
      s.scoring.batch(officerOf(ctx).id, input.csv, (progress) =>
        s.emit(ctx.connectionId, 'scoring:batchProgress', progress),
      ),
    'decisions:record': (ctx, input) => s.decisions.record(officerOf(ctx), input.scoreId, input),
    'decisions:correct': (ctx, input) => s.decisions.correct(officerOf(ctx), input.decisionId, input),
    'decisions:review': (ctx, input) => s.decisions.review(officerOf(ctx), input.decisionId, input),
    'decisions:list': (_ctx, input) => s.decisions.list(input.applicantId),
    'decisions:pendingReviews': () => s.decisions.pendingReviews(),
    'decisions:pendingOverrides': () => s.decisions.pendingOverrides(),
    'decisions:approveOverride': (ctx, input) =>
      s.decisions.decideOverride(officerOf(ctx), input.decisionId, { verdict: 'approve', note: input.note }),
    'decisions:rejectOverride': (ctx, input) =>
      s.decisions.decideOverride(officerOf(ctx), input.decisionId, {
        verdict: 'reject',
        note: input.note,
        reasonCodes: input.reasonCodes,
      }),
    'decisions:replay': (ctx, input) =>
      replayDecision(s.store, s.model, officerOf(ctx).id, input.decisionId, (id) => s.applicants.dataKey(id)),
    'letters:applicant': async (ctx, input) => {
      const letter = await s.letters.applicantLetter(officerOf(ctx).id, input.decisionId);
      return {
        fileName: letter.fileName,
        language: letter.language,
        pages: letter.pages,
        pdfBase64: Buffer.from(letter.bytes).toString('base64'),
      };
    },
    'letters:bankCopy': async (ctx, input) => {
      const copy = await s.letters.bankCopy(officerOf(ctx).id, input.decisionId);
      return {
        fileName: copy.fileName,
        language: copy.language,
        pages: copy.pages,
        pdfBase64: Buffer.from(copy.bytes).toString('base64'),
      };
    },
    'model:status': () => s.model.status(),
    'model:reload': () => s.loadModel(s.modelDir()),
  };
}

/**
 * Registration with the behavioural data captured at the same desk visit: consent, personal data, search tokens,
 * the behavioural record and their audit entries commit as one durable transaction (one WAL fsync, not two), so a
 * crash leaves either the whole intake or none of it.
 */
import type { ConsentInput, PersonalData } from '../../../shared/ipc/applicants';
import type { ApplicantService } from './applicant-service';
import type { BehaviourService } from '../behaviour/behaviour-service';
import type { Store } from '../store';

type Values = Parameters<BehaviourService['saveForm']>[2];

export function registerWithBehaviour(
  s: { readonly store: Store; readonly applicants: ApplicantService; readonly behaviour: BehaviourService },
  officerId: string,
  personal: PersonalData,
  consent: ConsentInput,
  values: Values,
): { applicantId: string; receiptId: string } {
  // The services' own transactions nest as savepoints inside this one: a refused record undoes the registration.
  return s.store.transaction(() => {
    const registered = s.applicants.register(officerId, personal, consent);
    s.behaviour.saveForm(officerId, registered.applicantId, values);
    return registered;
  });
}

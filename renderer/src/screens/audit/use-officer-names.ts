import { useMemo } from 'react';
import { canCall, useSession } from '../../auth';
import { useNexisQuery } from '../../hooks';

export interface OfficerNames {
  /** "username" for a known officer id, the raw value otherwise ('anonymous', unknown ids). */
  nameOf(actorOrSubject: string): string;
  /** Officer id for a typed username; the typed text itself if no officer has that username. */
  idOf(typed: string): string;
}

/** Officer ids in the audit trail shown as usernames (when the role may list officers). */
export function useOfficerNames(): OfficerNames {
  const { officer } = useSession();
  const officers = useNexisQuery('officers:list', {}, canCall(officer.role, 'officers:list'));
  return useMemo(() => {
    const byId = new Map((officers.data ?? []).map((o) => [o.id, o.username]));
    const byUsername = new Map((officers.data ?? []).map((o) => [o.username, o.id]));
    return {
      // `system`: changes pulled from the central API (releases, officers, requests raised at other branches).
      nameOf: (value) => byId.get(value) ?? (value === 'system' ? 'central sync' : value),
      idOf: (typed) => byUsername.get(typed.toLowerCase()) ?? typed,
    };
  }, [officers.data]);
}

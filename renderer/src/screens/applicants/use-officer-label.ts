import { useCallback } from 'react';
import { useSession } from '../../auth';
import { useOfficerNames } from '../audit/use-officer-names';

/** An officer id as a person reads it: the signed-in officer by name, others by username when the role may list. */
export function useOfficerLabel(markSelf = true): (officerId: string) => string {
  const { officer } = useSession();
  const { nameOf } = useOfficerNames();
  return useCallback(
    (officerId: string) =>
      officerId === officer.id ? `${officer.displayName}${markSelf ? ' (you)' : ''}` : nameOf(officerId),
    [officer.id, officer.displayName, nameOf, markSelf],
  );
}

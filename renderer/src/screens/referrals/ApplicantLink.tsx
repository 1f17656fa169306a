import { Anchor } from '@mantine/core';

/** The applicant id as a link that opens the applicant inside the Referrals screen. */
export function ApplicantLink({ applicantId, onOpen }: { applicantId: string; onOpen(applicantId: string): void }) {
  return (
    <Anchor
      href={`#applicant/${applicantId}`}
      ff="monospace"
      fz="sm"
      onClick={(event) => {
        event.preventDefault();
        onOpen(applicantId);
      }}
      aria-label={`Open applicant ${applicantId}`}
    >
      {applicantId}
    </Anchor>
  );
}

import { MantineProvider, Title, Text, Container } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { call } from './api/nexis';

export function App() {
  const [status, setStatus] = useState('connecting…');
  useEffect(() => {
    call('auth:status', {})
      .then((s) => setStatus(s.setupRequired ? 'setup required' : 'ready'))
      .catch((error: unknown) => setStatus(error instanceof Error ? error.message : 'error'));
  }, []);
  return (
    <MantineProvider defaultColorScheme="auto">
      <Notifications />
      <Container py="xl">
        <Title order={1}>NEXIS Lender Workstation</Title>
        <Text data-testid="status">{status}</Text>
      </Container>
    </MantineProvider>
  );
}

/**
 * Renders the small markdown subset of the consent notices (headings, paragraphs, numbered and bulleted lists, bold
 * and italic) as React elements: the text is never parsed as HTML, so nothing in it can become markup.
 */
import { List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] };

const LIST_ITEM = /^\s*(\d+\.|[-*])\s+(.*)$/;

function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of markdown.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').filter((line) => line.trim() !== '');
    const first = lines[0];
    if (first === undefined) {
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(first);
    if (heading && lines.length === 1) {
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' });
      continue;
    }
    const firstItem = LIST_ITEM.exec(first);
    if (firstItem) {
      const items: string[] = [];
      for (const line of lines) {
        const item = LIST_ITEM.exec(line);
        if (item) {
          items.push(item[2] ?? '');
        } else if (items.length > 0) {
          items[items.length - 1] = `${items[items.length - 1] ?? ''} ${line.trim()}`;
        }
      }
      blocks.push({ kind: 'list', ordered: /\d/.test(firstItem[1] ?? ''), items });
      continue;
    }
    blocks.push({ kind: 'paragraph', text: lines.map((line) => line.trim()).join(' ') });
  }
  return blocks;
}

/** **bold** and *italic* spans; everything else is plain text. */
function inline(text: string): ReactNode[] {
  const parts: ReactNode[] = [];
  const pattern = /\*\*(.+?)\*\*|\*(.+?)\*/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match.index > last) {
      parts.push(text.slice(last, match.index));
    }
    parts.push(
      match[1] !== undefined ? <strong key={match.index}>{match[1]}</strong> : <em key={match.index}>{match[2]}</em>,
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) {
    parts.push(text.slice(last));
  }
  return parts;
}

export interface SimpleMarkdownProps {
  /** The markdown text */
  text: string;
  /** Heading level given to a `#` heading, so the text fits the page's outline @default 2 */
  baseLevel?: 2 | 3 | 4;
}

export function SimpleMarkdown({ text, baseLevel = 2 }: SimpleMarkdownProps) {
  return (
    <Stack gap="sm">
      {parseBlocks(text).map((block, index) => {
        switch (block.kind) {
          case 'heading': {
            const order = Math.min(6, baseLevel + block.level - 1) as 2 | 3 | 4 | 5 | 6;
            return (
              <Title key={index} order={order} size={block.level === 1 ? 'h4' : 'h5'}>
                {inline(block.text)}
              </Title>
            );
          }
          case 'list':
            return (
              <List key={index} type={block.ordered ? 'ordered' : 'unordered'} size="sm" spacing={6} withPadding>
                {block.items.map((item, n) => (
                  <List.Item key={n}>{inline(item)}</List.Item>
                ))}
              </List>
            );
          case 'paragraph':
            return (
              <Text key={index} size="sm">
                {inline(block.text)}
              </Text>
            );
        }
      })}
    </Stack>
  );
}

export { SimpleMarkdown, type SimpleMarkdownProps } from './SimpleMarkdown';

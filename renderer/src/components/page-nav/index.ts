export { PageNav, type PageNavProps } from './PageNav';

export { rejectTableMarkdown, REJECT_EXAMPLES } from './reject-table.js';

/** The page's words in English and Chinese, picked from the browser's language. */

export interface Strings {
  appTitle: string;
  newChat: string;
  conversations: string;
  noConversations: string;
  deleteConversation: (title: string) => string;
  untitled: string;
  model: string;
  send: string;
  stop: string;
  placeholder: string;
  inputLabel: string;
  composerHint: string;
  thinking: (secs: string) => string;
  thoughtFor: (secs: string) => string;
  thought: string;
  stopped: string;
  retry: string;
  copy: string;
  copied: string;
  firstToken: string;
  tokPerSec: string;
  tokens: string;
  you: string;
  assistant: string;
  connectionLost: string;
  requestFailed: (status: number) => string;
  loadFailed: string;
  themeToggle: string;
  menu: string;
  emptyTitle: string;
  emptyHint: string;
}

const en: Strings = {
  appTitle: 'streamgate chat',
  newChat: 'New chat',
  conversations: 'Conversations',
  noConversations: 'No conversations yet',
  deleteConversation: (title) => `Delete conversation “${title}”`,
  untitled: 'Untitled',
  model: 'Model',
  send: 'Send',
  stop: 'Stop',
  placeholder: 'Ask anything…',
  inputLabel: 'Your question',
  composerHint: 'Enter to send, Shift+Enter for a new line',
  thinking: (s) => `Thinking… ${s}`,
  thoughtFor: (s) => `Thought for ${s}`,
  thought: 'Thoughts',
  stopped: 'Stopped',
  retry: 'Retry',
  copy: 'Copy',
  copied: 'Copied',
  firstToken: 'first token',
  tokPerSec: 'tok/s',
  tokens: 'tokens',
  you: 'You',
  assistant: 'Assistant',
  connectionLost: 'The connection to the server was lost.',
  requestFailed: (status) => `Request failed (HTTP ${status}).`,
  loadFailed: 'Could not load from the server.',
  themeToggle: 'Switch light or dark theme',
  menu: 'Conversations menu',
  emptyTitle: 'What can I help with?',
  emptyHint: 'Pick a model and ask a question. Thinking models show their reasoning as it happens.',
};

const zh: Strings = {
  appTitle: 'streamgate 对话',
  newChat: '新对话',
  conversations: '历史对话',
  noConversations: '还没有对话',
  deleteConversation: (title) => `删除对话“${title}”`,
  untitled: '未命名',
  model: '模型',
  send: '发送',
  stop: '停止',
  placeholder: '输入你的问题…',
  inputLabel: '你的问题',
  composerHint: 'Enter 发送，Shift+Enter 换行',
  thinking: (s) => `思考中… ${s}`,
  thoughtFor: (s) => `已思考 ${s}`,
  thought: '思考过程',
  stopped: '已停止',
  retry: '重试',
  copy: '复制',
  copied: '已复制',
  firstToken: '首字',
  tokPerSec: 'tok/s',
  tokens: 'tokens',
  you: '你',
  assistant: '助手',
  connectionLost: '与服务器的连接已断开。',
  requestFailed: (status) => `请求失败（HTTP ${status}）。`,
  loadFailed: '无法从服务器加载。',
  themeToggle: '切换浅色或深色主题',
  menu: '对话列表',
  emptyTitle: '有什么可以帮你？',
  emptyHint: '选择模型并提问。思考型模型会实时展示思考过程。',
};

/** Chinese for any `zh*` browser language, English otherwise. */
export function pickStrings(languages: readonly string[]): { lang: 'en' | 'zh'; t: Strings } {
  const first = languages[0]?.toLowerCase() ?? 'en';
  return first.startsWith('zh') ? { lang: 'zh', t: zh } : { lang: 'en', t: en };
}

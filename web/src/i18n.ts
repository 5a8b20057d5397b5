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
  apiKey: string;
  keyTitle: string;
  keyNeeded: string;
  keyRefused: (msg: string) => string;
  keyLabel: string;
  saveKey: string;
  removeKey: string;
  cancel: string;
  reconnecting: string;
  stalled: (secs: string) => string;
  resumeImpossible: string;
  interrupted: string;
  failedWith: (msg: string) => string;
  regenerate: string;
  edit: string;
  editLabel: string;
  saveAndSend: string;
  copyAnswer: string;
  prevBranch: string;
  nextBranch: string;
  branchOf: (i: number, n: number) => string;
  scrollToBottom: string;
  deleted: (title: string) => string;
  undo: string;
  rename: (title: string) => string;
  renameLabel: string;
  search: string;
  noMatches: string;
  groups: { today: string; yesterday: string; week: string; month: string; older: string };
  settings: string;
  systemPrompt: string;
  temperature: string;
  temperatureHint: string;
  save: string;
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
  apiKey: 'API key',
  keyTitle: 'API key',
  keyNeeded: 'This server needs an API key. It is kept in this browser only and sent in the Authorization header.',
  keyRefused: (msg) => `The server refused this key: ${msg}`,
  keyLabel: 'Key',
  saveKey: 'Save key',
  removeKey: 'Remove key',
  cancel: 'Cancel',
  reconnecting: 'Reconnecting…',
  stalled: (s) => `Waiting for the model… nothing for ${s}`,
  resumeImpossible: 'The connection was lost and the answer could not be resumed.',
  interrupted: 'This answer was interrupted before it finished.',
  failedWith: (msg) => `The answer failed: ${msg}`,
  regenerate: 'Regenerate',
  edit: 'Edit',
  editLabel: 'Edit your question',
  saveAndSend: 'Save and send',
  copyAnswer: 'Copy answer',
  prevBranch: 'Previous version',
  nextBranch: 'Next version',
  branchOf: (i, n) => `${i} / ${n}`,
  scrollToBottom: 'Scroll to the latest message',
  deleted: (title) => `Deleted “${title}”`,
  undo: 'Undo',
  rename: (title) => `Rename “${title}”`,
  renameLabel: 'New title',
  search: 'Search conversations',
  noMatches: 'No matching conversations',
  groups: { today: 'Today', yesterday: 'Yesterday', week: 'Previous 7 days', month: 'Previous 30 days', older: 'Older' },
  settings: 'Conversation settings',
  systemPrompt: 'System prompt',
  temperature: 'Temperature',
  temperatureHint: '0 to 2; empty for the model default',
  save: 'Save',
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
  apiKey: 'API 密钥',
  keyTitle: 'API 密钥',
  keyNeeded: '此服务器需要 API 密钥。密钥只保存在本浏览器中，并通过 Authorization 头发送。',
  keyRefused: (msg) => `服务器拒绝了此密钥：${msg}`,
  keyLabel: '密钥',
  saveKey: '保存密钥',
  removeKey: '删除密钥',
  cancel: '取消',
  reconnecting: '正在重新连接…',
  stalled: (s) => `等待模型… 已 ${s} 无数据`,
  resumeImpossible: '连接已断开，无法恢复此回答。',
  interrupted: '此回答在完成前被中断。',
  failedWith: (msg) => `回答失败：${msg}`,
  regenerate: '重新生成',
  edit: '编辑',
  editLabel: '编辑你的问题',
  saveAndSend: '保存并发送',
  copyAnswer: '复制回答',
  prevBranch: '上一个版本',
  nextBranch: '下一个版本',
  branchOf: (i, n) => `${i} / ${n}`,
  scrollToBottom: '滚动到最新消息',
  deleted: (title) => `已删除“${title}”`,
  undo: '撤销',
  rename: (title) => `重命名“${title}”`,
  renameLabel: '新标题',
  search: '搜索对话',
  noMatches: '没有匹配的对话',
  groups: { today: '今天', yesterday: '昨天', week: '过去 7 天', month: '过去 30 天', older: '更早' },
  settings: '对话设置',
  systemPrompt: '系统提示词',
  temperature: '温度',
  temperatureHint: '0 到 2；留空使用模型默认值',
  save: '保存',
};

/** Chinese for any `zh*` browser language, English otherwise. */
export function pickStrings(languages: readonly string[]): { lang: 'en' | 'zh'; t: Strings } {
  const first = languages[0]?.toLowerCase() ?? 'en';
  return first.startsWith('zh') ? { lang: 'zh', t: zh } : { lang: 'en', t: en };
}

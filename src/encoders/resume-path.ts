/** Where a client resumes any resumable stream. */
export function resumePath(streamId: string): string {
  return `/v1/streams/${encodeURIComponent(streamId)}`;
}

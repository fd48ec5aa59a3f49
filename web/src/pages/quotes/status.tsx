export const StatusBadge = ({ status }: { status: string }) => <span class={`status status-${status}`}>{status.replace(/_/g, ' ')}</span>;

// "Approved only": a client-side filter on the access status the backend computed. An item is
// shareable unless it is private, its access expired, or its download limit is used up.

export function isApproved(item) {
  const access = item && item.access;
  if (!access) return true;
  return access.status !== 'private' && !access.expired && access.downloads_left !== 0;
}

/** `{visible, hidden}`: the items to show and how many the filter took out. */
export function applyApprovedFilter(items, approvedOnly) {
  const list = Array.isArray(items) ? items : [];
  if (!approvedOnly) return { visible: list, hidden: 0 };
  const visible = list.filter(isApproved);
  return { visible, hidden: list.length - visible.length };
}

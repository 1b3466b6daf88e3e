export default defineBackground(() => {
  // The hub connection, IndexedDB mirror and badge arrive with the extension issue.
});

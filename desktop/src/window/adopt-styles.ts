/**
 * Applies CSS held in a string (the shared approver CSS) as a constructed
 * stylesheet. Unlike a `<style>` element it needs no `'unsafe-inline'` in the
 * page's Content-Security-Policy: CSP governs style elements and attributes, not
 * stylesheets built through the CSSOM.
 */
export function adoptStyles(doc: Document, css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}

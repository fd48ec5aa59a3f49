/**
 * Swagger UI page, served from the installed swagger-ui-dist package (no CDN). Its start-up
 * script is a file of its own (`/docs/init.js`), so the Content-Security-Policy can forbid
 * inline scripts (api/security.ts).
 */
export const docsHtml = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>roborisk API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

/** Starts Swagger UI on this service's document (no validator badge: it would load from another origin). */
export const docsInitScript = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true, validatorUrl: null });\n`;

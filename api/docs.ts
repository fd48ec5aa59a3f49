/** Swagger UI page, served from the installed swagger-ui-dist package (no CDN). */
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
  <script>
    window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true });
  </script>
</body>
</html>`;

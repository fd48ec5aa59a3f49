/**
 * A `fetch` for one openapi-fetch call that sends a file with XMLHttpRequest, because `fetch`
 * reports no upload progress and an import of a large history takes a while to send. The call
 * keeps the generated client's types and middleware (the key is already on the request's headers);
 * only the transport differs. The body sent is `file` itself (streamed from disk by the browser).
 */
export function uploadWithProgress(file: Blob, onProgress: (sent: number, total: number) => void) {
  return (request: Request): Promise<Response> => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, request.url);
    request.headers.forEach((value, name) => xhr.setRequestHeader(name, value));
    xhr.responseType = 'blob';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      resolve(new Response(xhr.response as Blob, { status: xhr.status, statusText: xhr.statusText, headers }));
    };
    xhr.onerror = () => reject(new TypeError('the upload failed (network error)'));
    xhr.onabort = () => reject(new TypeError('the upload was aborted'));
    xhr.send(file);
  });
}

// libcurl through pointers resolved once (loader.h): HTTP with leapp's rules set on every
// request (TLS verified, no redirects followed here, http and https only, a body cap).
#define _GNU_SOURCE
#include "CLeappShims.h"
#include "leapp_libraries.h"
#include "loader.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct http_handle {
    CURL *curl;
} http_handle;

typedef struct body_buffer {
    char *data;
    size_t len, cap, max;
    int too_large;
} body_buffer;

static size_t write_body(char *ptr, size_t size, size_t nmemb, void *userdata) {
    body_buffer *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > b->max) { b->too_large = 1; return 0; }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return 0;
        b->data = d; b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = 0;
    return n;
}

// Every function leapp calls, resolved once; curl_easy_header (7.83) is optional.
#define CURL_FUNCTIONS(X)                                                                      \
    X(curl_global_init) X(curl_easy_init) X(curl_easy_cleanup) X(curl_easy_reset) X(curl_easy_setopt) \
    X(curl_easy_perform) X(curl_easy_getinfo) X(curl_easy_strerror) X(curl_slist_append) X(curl_slist_free_all)
static struct {
    CURL_FUNCTIONS(LEAPP_POINTER_FIELD)
    __typeof__(&curl_easy_header) p_curl_easy_header;
} curl_api;
#define api curl_api
static const char *const sonames[] = {LEAPP_SONAMES_CURL, NULL};
static leapp_library lib_curl = {sonames, NULL, 0, ""};

static void resolve(leapp_library *lib, __typeof__(curl_api) *api) {
    if (!leapp_open_library(lib)) return;
    CURL_FUNCTIONS(LEAPP_RESOLVE_FIELD)
    api->p_curl_easy_header = (__typeof__(&curl_easy_header))dlsym(lib->handle, "curl_easy_header");
    if (api->p_curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(lib->error, sizeof lib->error, "curl_global_init failed");
        lib->ready = 0;
    }
}
static void open_curl(void) { resolve(&lib_curl, &curl_api); }
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

void *leapp_http_new(char **error) {
    pthread_once(&curl_once, open_curl);
    if (!lib_curl.ready) { *error = leapp_concat("cannot load libcurl: ", lib_curl.error); return NULL; }
    CURL *c = api.p_curl_easy_init();
    if (!c) { *error = leapp_strdup("curl_easy_init failed"); return NULL; }
    http_handle *h = calloc(1, sizeof *h);
    if (!h) {
        api.p_curl_easy_cleanup(c);
        *error = leapp_strdup("out of memory");
        return NULL;
    }
    h->curl = c;
    api.p_curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");  // in-memory cookie engine
    return h;
}

void leapp_http_free(void *handle) {
    http_handle *h = handle;
    if (!h) return;
    api.p_curl_easy_cleanup(h->curl);
    free(h);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

void leapp_http_perform(void *handle, const leapp_http_request *req, leapp_http_result *out) {
    http_handle *h = handle;
    CURL *c = h->curl;
    memset(out, 0, sizeof *out);
    char errbuf[CURL_ERROR_SIZE] = {0};
    body_buffer body = {NULL, 0, 0, req->max_body, 0};
    struct curl_slist *headers = NULL;

    api.p_curl_easy_reset(c);  // keeps cookies and connections
    api.p_curl_easy_setopt(c, CURLOPT_COOKIEFILE, "");
    api.p_curl_easy_setopt(c, CURLOPT_URL, req->url);
    api.p_curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    api.p_curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    api.p_curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are checked and followed by the caller
    api.p_curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    api.p_curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    api.p_curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (req->ca_bundle && *req->ca_bundle) api.p_curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_bundle);
    api.p_curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
    api.p_curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    api.p_curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_body);
    api.p_curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    api.p_curl_easy_setopt(c, CURLOPT_USERAGENT, req->user_agent);
    api.p_curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
    api.p_curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    if (req->negotiate) {
        // SPNEGO with the ticket in the user's credential cache; the empty user name tells
        // libcurl to take the identity from it (no password is ever given here).
        api.p_curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_NEGOTIATE);
        api.p_curl_easy_setopt(c, CURLOPT_USERPWD, ":");
    }
    if (req->headers)
        for (const char *const *hd = req->headers; *hd; hd++) headers = api.p_curl_slist_append(headers, *hd);
    if (headers) api.p_curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (strcmp(req->method, "POST") == 0) {
        api.p_curl_easy_setopt(c, CURLOPT_POST, 1L);
        api.p_curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        api.p_curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
    } else if (strcmp(req->method, "GET") != 0) {
        api.p_curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    }

    CURLcode rc = api.p_curl_easy_perform(c);
    out->code = (int)rc;
    out->too_large = body.too_large || rc == CURLE_FILESIZE_EXCEEDED;
    api.p_curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    char *s = NULL;
    // The raw Location header: leapp resolves and checks it itself (a `file:` or
    // `javascript:` target must be refused by name, not resolved as a path).
    struct curl_header *location = NULL;
    if (api.p_curl_easy_header && out->status >= 300 && out->status < 400 &&
        api.p_curl_easy_header(c, "Location", 0, CURLH_HEADER, -1, &location) == CURLHE_OK && location)
        out->redirect_url = dup_or_null(location->value);
    else if (api.p_curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &s) == CURLE_OK)
        out->redirect_url = dup_or_null(s);
    s = NULL;
    if (api.p_curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK) out->content_type = dup_or_null(s);
    struct curl_header *date = NULL;
    if (api.p_curl_easy_header && api.p_curl_easy_header(c, "Date", 0, CURLH_HEADER, -1, &date) == CURLHE_OK && date)
        out->date = dup_or_null(date->value);
    if (rc != CURLE_OK) out->error = leapp_strdup(errbuf[0] ? errbuf : api.p_curl_easy_strerror(rc));
    out->body = body.data ? body.data : calloc(1, 1);
    if (!out->body && rc == CURLE_OK) {  // out of memory: said as a failure, never an empty page
        out->code = CURLE_OUT_OF_MEMORY;
        out->error = leapp_strdup("out of memory");
    }
    out->body_len = body.len;
    if (headers) api.p_curl_slist_free_all(headers);
    api.p_curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    api.p_curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
}

void leapp_http_result_clear(leapp_http_result *res) {
    free(res->body); free(res->redirect_url); free(res->content_type); free(res->date); free(res->error);
    memset(res, 0, sizeof *res);
}

char *leapp_http_export_cookies(void *handle) {
    http_handle *h = handle;
    struct curl_slist *list = NULL;
    if (api.p_curl_easy_getinfo(h->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK) return strdup("");
    size_t total = 1;
    for (struct curl_slist *i = list; i; i = i->next) total += strlen(i->data) + 1;
    char *s = malloc(total), *p = s;
    if (!s) {
        if (list) api.p_curl_slist_free_all(list);
        return NULL;
    }
    for (struct curl_slist *i = list; i; i = i->next) {
        size_t n = strlen(i->data);
        memcpy(p, i->data, n); p += n; *p++ = '\n';
    }
    *p = 0;
    if (list) api.p_curl_slist_free_all(list);
    return s;
}

int leapp_http_import_cookie(void *handle, const char *line) {
    http_handle *h = handle;
    return api.p_curl_easy_setopt(h->curl, CURLOPT_COOKIELIST, line) == CURLE_OK ? 0 : -1;
}

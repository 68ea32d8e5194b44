// The single C seam of leapp. Swift calls only these functions; they reach libcurl
// (curl.c), libxml2 (xml.c) and libsecret (secret.c), which are loaded with dlopen on first
// use so that commands needing neither network nor keyring do not pay for loading them.
// Every symbol is resolved and checked when its library opens (loader.c): a library that
// lacks one is reported as unusable, by name, never called through a NULL pointer.
#ifndef CLEAPP_SHIMS_H
#define CLEAPP_SHIMS_H

#include <stddef.h>
#include <stdint.h>

#include "leapp_libraries.h"

/// The sonames tried for a library (LEAPP_LIBRARY_*), NULL-terminated (leapp_libraries.h).
enum { LEAPP_LIBRARY_CURL = 0, LEAPP_LIBRARY_XML = 1, LEAPP_LIBRARY_SECRET = 2 };
const char *const *leapp_library_sonames(int library);

// Frees memory returned by any leapp_* function documented as "caller frees".
void leapp_free(void *ptr);
/// No core dumps, not dumpable (ptrace), SIGXFSZ ignored so writes report EFBIG.
void leapp_harden_process(void);

// ---- libcurl -------------------------------------------------------------
typedef struct leapp_http_result {
    int code;              // CURLcode
    long status;           // HTTP status
    char *body;            // caller frees
    size_t body_len;
    int too_large;         // body exceeded the cap
    char *redirect_url;    // caller frees; NULL if none
    char *content_type;    // caller frees; NULL if none
    char *date;            // caller frees; the Date header, NULL if none
    char *error;           // caller frees; curl's reason
} leapp_http_result;

/// NULL on failure with *error set (caller frees).
void *leapp_http_new(char **error);
void leapp_http_free(void *handle);

typedef struct leapp_http_request {
    const char *method;        // "GET" or "POST"
    const char *url;
    const char *body;          // may be NULL
    size_t body_len;
    const char *const *headers; // NULL-terminated "Name: value"
    const char *user_agent;
    const char *ca_bundle;     // may be NULL
    long connect_timeout_ms;
    long timeout_ms;
    size_t max_body;
    int negotiate;             // 1: answer a 401 `Negotiate` with the user's Kerberos ticket (SPNEGO)
} leapp_http_request;

void leapp_http_perform(void *handle, const leapp_http_request *req, leapp_http_result *out);
void leapp_http_result_clear(leapp_http_result *res);
/// Cookie jar in Netscape format, one cookie a line. Caller frees; NULL when out of memory.
char *leapp_http_export_cookies(void *handle);
int leapp_http_import_cookie(void *handle, const char *line);

// ---- libxml2 -------------------------------------------------------------
/// Parses HTML (html=1) or XML without network, entities or DTD loading. NULL with *error.
void *leapp_xml_parse(const char *buf, int len, int html, char **error);
void leapp_xml_free(void *doc);
/// Evaluates an XPath on doc (relative to node when node != NULL). Returns a malloc'd
/// array of node pointers (caller frees with leapp_free) and count. -1 on a bad expression,
/// -2 out of memory.
int leapp_xml_xpath(void *doc, void *node, const char *expr, void ***nodes);
const char *leapp_xml_node_name(void *node);
/// Text content (caller frees).
char *leapp_xml_node_text(void *node);
/// Attributes as "name\0value\0name\0value\0\0" (caller frees); count of pairs in *n. NULL
/// when out of memory.
char *leapp_xml_node_attributes(void *node, int *n);

// ---- libsecret -----------------------------------------------------------
/// Result codes for the secret functions.
/// LEAPP_SECRET_LOCKED: the item's collection is locked; *error holds the collection's name.
enum { LEAPP_SECRET_OK = 0, LEAPP_SECRET_NOT_FOUND = 1, LEAPP_SECRET_ERROR = 2, LEAPP_SECRET_TIMEOUT = 3, LEAPP_SECRET_LOCKED = 4 };
int leapp_secret_store(const char *kind, const char *key, const char *label, const char *secret,
                       int timeout_ms, char **error);
int leapp_secret_lookup(const char *kind, const char *key, int timeout_ms, char **secret, char **error);
int leapp_secret_clear(const char *kind, const char *key, int timeout_ms, char **error);
/// Whether the default collection (where leapp stores) is unlocked, read from its `Locked`
/// property: OK, LOCKED (*error = its name), NOT_FOUND (no default collection yet), or an error.
int leapp_secret_check_writable(int timeout_ms, char **error);
/// The keys of every unlocked item of a kind, one a line, in *keys (caller frees).
int leapp_secret_keys(const char *kind, int timeout_ms, char **keys, char **error);

// ---- the kernel keyring (keyring.c) ---------------------------------------
/// Where leapp's keyring hangs: the uid's persistent keyring (the user keyring on kernels
/// without one), the user keyring, or the session keyring.
enum { LEAPP_KR_PERSISTENT = 0, LEAPP_KR_USER = 1, LEAPP_KR_SESSION = 2 };
/// Functions returning long give a key id (> 0) or 0 on success, or -errno.
int32_t leapp_kr_parent(int scope);
/// The keyring `name` under `parent`, made (user-only permissions) when missing.
long leapp_kr_keyring(int32_t parent, const char *name);
/// Adds or replaces the `user` key `description` in `ring` (user-only; `timeout` s, 0 none).
long leapp_kr_store(int32_t ring, const char *description, const void *data, size_t len, unsigned timeout);
/// The id of the `user` key `description` in `ring`; -ENOKEY when there is none.
long leapp_kr_find(int32_t ring, const char *description);
/// A key's payload (a keyring's: its key ids, as int32); *data is the caller's to free.
long leapp_kr_read(long key, char **data, size_t *len);
long leapp_kr_remove(int32_t ring, long key);
/// "type;uid;gid;perm;description" (caller frees).
long leapp_kr_describe(long key, char **text);

// ---- child processes (process.c) ----------------------------------------
/// Starts `path` with argv and envp in its own process group, stdin and stdout on /dev/null (stderr
/// too unless keep_stderr), file descriptor 3 reading what the caller writes to *to_child
/// and descriptor 4 writing what the caller reads from *from_child (the DevTools pipe), no
/// other descriptor, default signal dispositions. Returns 0 or an errno.
int leapp_spawn_piped(const char *path, char *const argv[], char *const envp[], int keep_stderr, int *to_child, int *from_child, int *pid);
/// Until leapp_signals_release: SIGINT, SIGTERM and SIGHUP write their number to the
/// returned descriptor instead of ending the process; SIGPIPE is ignored. -1 on failure.
int leapp_signals_catch(void);
void leapp_signals_release(void);
/// Removes a directory tree without following symbolic links. Returns 0 or an errno.
int leapp_remove_tree(const char *path);

#endif

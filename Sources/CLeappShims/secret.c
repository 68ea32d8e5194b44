// libsecret through pointers resolved once (loader.h): leapp's items, each call under a
// deadline (a watchdog thread cancels it), a locked collection told apart from no item.
#define _GNU_SOURCE
#include "CLeappShims.h"
#include "leapp_libraries.h"
#include "loader.h"

#include <errno.h>
#include <libsecret/secret.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// Every function leapp calls, resolved once.
#define SECRET_FUNCTIONS(X)                                                                             \
    X(g_cancellable_new) X(g_cancellable_cancel) X(g_object_unref) X(g_error_free) X(g_hash_table_new)   \
    X(g_hash_table_insert) X(g_hash_table_lookup) X(g_hash_table_unref) X(g_str_hash) X(g_str_equal)     \
    X(g_list_free_full) X(g_dbus_proxy_get_object_path) X(secret_service_search_sync)                   \
    X(secret_service_get_sync) X(secret_collection_for_alias_sync) X(secret_collection_get_locked)      \
    X(secret_item_get_locked) X(secret_item_delete_sync) X(secret_item_get_attributes)                  \
    X(secret_password_storev_sync) X(secret_password_lookupv_sync) X(secret_password_free)
static struct {
    SECRET_FUNCTIONS(LEAPP_POINTER_FIELD)
} secret_api;
#define api secret_api
static const char *const sonames[] = {LEAPP_SONAMES_SECRET, NULL};
static leapp_library lib_secret = {sonames, NULL, 0, ""};

static void resolve(leapp_library *lib, __typeof__(secret_api) *api) {
    if (!leapp_open_library(lib)) return;
    SECRET_FUNCTIONS(LEAPP_RESOLVE_FIELD)
}
static void open_secret(void) { resolve(&lib_secret, &secret_api); }
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;

static const SecretSchema leapp_schema = {
    "dev.leapp-swift.Secret",
    SECRET_SCHEMA_NONE,
    {
        {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {"key", SECRET_SCHEMA_ATTRIBUTE_STRING},
        {NULL, 0},
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

// A watchdog cancels a blocking libsecret call after timeout_ms, so that an
// unreachable or locked keyring fails fast instead of waiting for D-Bus' 25 s.
typedef struct watchdog {
    GCancellable *cancellable;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done, fired, timeout_ms;
} watchdog;

static void *watchdog_main(void *arg) {
    watchdog *w = arg;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);  // the condition waits on this clock (watchdog_start)
    until.tv_sec += w->timeout_ms / 1000;
    until.tv_nsec += (long)(w->timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while (!w->done && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&w->cond, &w->lock, &until);
    if (!w->done) {
        w->fired = 1;
        api.p_g_cancellable_cancel(w->cancellable);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

// 0, or LEAPP_SECRET_ERROR with *error set: no call runs without its deadline.
static int watchdog_start(watchdog *w, int timeout_ms, char **error) {
    memset(w, 0, sizeof *w);
    w->cancellable = api.p_g_cancellable_new();
    if (!w->cancellable) {
        *error = leapp_strdup("cannot make a GCancellable for the keyring's deadline");
        return LEAPP_SECRET_ERROR;
    }
    w->timeout_ms = timeout_ms > 0 ? timeout_ms : 1000;
    pthread_mutex_init(&w->lock, NULL);
    // A wall-clock jump must neither fire the watchdog early nor stall it.
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &attr);
    pthread_condattr_destroy(&attr);
    int rc = pthread_create(&w->thread, NULL, watchdog_main, w);
    if (rc != 0) {
        api.p_g_object_unref(w->cancellable);
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->cond);
        *error = leapp_concat("cannot start the keyring's deadline thread: ", strerror(rc));
        return LEAPP_SECRET_ERROR;
    }
    return 0;
}

static int watchdog_stop(watchdog *w) {
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    int fired = w->fired;
    api.p_g_object_unref(w->cancellable);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->cond);
    return fired;
}

static GHashTable *make_attributes(const char *kind, const char *key) {
    GHashTable *t = api.p_g_hash_table_new(api.p_g_str_hash, api.p_g_str_equal);
    if (kind) api.p_g_hash_table_insert(t, (gpointer) "kind", (gpointer)kind);
    if (key) api.p_g_hash_table_insert(t, (gpointer) "key", (gpointer)key);
    return t;
}

static int finish(GError *err, int fired, char **error) {
    if (!err) return LEAPP_SECRET_OK;
    int rc = fired ? LEAPP_SECRET_TIMEOUT : LEAPP_SECRET_ERROR;
    *error = leapp_strdup(err->message ? err->message : "unknown keyring error");
    api.p_g_error_free(err);
    return rc;
}

#define REQUIRE_SECRET(error)              \
    pthread_once(&secret_once, open_secret); \
    if (!lib_secret.ready) { *(error) = leapp_concat("cannot load libsecret: ", lib_secret.error); return LEAPP_SECRET_ERROR; }

// The skeleton of every blocking libsecret call: BEGIN starts the deadline (or returns its
// failure), the call runs with `call.w.cancellable` and `&call.err`, END stops the deadline
// and gives the call's outcome (OK, TIMEOUT when the deadline fired, ERROR with *error).
typedef struct call {
    watchdog w;
    GError *err;
    int fired;
} call;
#define BEGIN(c, timeout_ms, error)                               \
    call c = {.err = NULL};                                       \
    do {                                                          \
        int started_ = watchdog_start(&c.w, (timeout_ms), error); \
        if (started_) return started_;                            \
    } while (0)
#define END(c) (c.fired = watchdog_stop(&c.w))

// The name of the collection an item lives in, from its object path
// (/org/freedesktop/secrets/collection/NAME/ITEM).
static char *collection_of(void *item) {
    const char *path = api.p_g_dbus_proxy_get_object_path((GDBusProxy *)item);
    const char *marker = "/collection/";
    const char *start = path ? strstr(path, marker) : NULL;
    if (!start) return strdup("default");
    start += strlen(marker);
    const char *end = strchr(start, '/');
    return strndup(start, end ? (size_t)(end - start) : strlen(start));
}

// Finds leapp's item for (kind, key) without unlocking anything: a locked collection is
// reported (LEAPP_SECRET_LOCKED, *error = the collection's name), never read as "no item".
static int find_item(const char *kind, const char *key, int load_secret, int timeout_ms, GList **items,
                     SecretItem **item, char **error) {
    *items = NULL;
    *item = NULL;
    BEGIN(c, timeout_ms, error);
    GHashTable *attrs = make_attributes(kind, key);
    *items = api.p_secret_service_search_sync(NULL, &leapp_schema, attrs,
                                              SECRET_SEARCH_ALL | (load_secret ? SECRET_SEARCH_LOAD_SECRETS : 0),
                                              c.w.cancellable, &c.err);
    END(c);
    api.p_g_hash_table_unref(attrs);
    if (c.err) return finish(c.err, c.fired, error);
    if (!*items) return LEAPP_SECRET_NOT_FOUND;
    for (GList *i = *items; i; i = i->next)
        if (!api.p_secret_item_get_locked(i->data)) { *item = i->data; return LEAPP_SECRET_OK; }
    *error = collection_of((*items)->data);
    return LEAPP_SECRET_LOCKED;
}

static void free_items(GList *items) {
    if (items) api.p_g_list_free_full(items, api.p_g_object_unref);
}

// Whether leapp's items can be stored: the default collection's `Locked` property, read
// without unlocking anything.
int leapp_secret_check_writable(int timeout_ms, char **error) {
    REQUIRE_SECRET(error);
    BEGIN(c, timeout_ms, error);
    SecretService *service = api.p_secret_service_get_sync(SECRET_SERVICE_NONE, c.w.cancellable, &c.err);
    SecretCollection *collection =
        service ? api.p_secret_collection_for_alias_sync(service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                                         c.w.cancellable, &c.err)
                : NULL;
    END(c);
    if (service) api.p_g_object_unref(service);
    if (c.err) {
        if (collection) api.p_g_object_unref(collection);
        return finish(c.err, c.fired, error);
    }
    if (!collection) return LEAPP_SECRET_NOT_FOUND;  // no default collection yet: the first store makes one
    int locked = api.p_secret_collection_get_locked(collection);
    if (locked) *error = collection_of(collection);
    api.p_g_object_unref(collection);
    return locked ? LEAPP_SECRET_LOCKED : LEAPP_SECRET_OK;
}

int leapp_secret_store(const char *kind, const char *key, const char *label, const char *secret,
                       int timeout_ms, char **error) {
    REQUIRE_SECRET(error);
    BEGIN(c, timeout_ms, error);
    GHashTable *attrs = make_attributes(kind, key);
    api.p_secret_password_storev_sync(&leapp_schema, attrs, SECRET_COLLECTION_DEFAULT, label, secret, c.w.cancellable,
                                      &c.err);
    END(c);
    api.p_g_hash_table_unref(attrs);
    GError *err = c.err;
    int fired = c.fired;
    // A store into a locked collection waits for an unlock prompt until the deadline: when
    // that is why, say so (one more look, only on this failure path).
    if (err && fired) {
        char *name = NULL;
        if (leapp_secret_check_writable(timeout_ms, &name) == LEAPP_SECRET_LOCKED) {
            api.p_g_error_free(err);
            *error = name;
            return LEAPP_SECRET_LOCKED;
        }
        free(name);
    }
    return finish(err, fired, error);
}

int leapp_secret_lookup(const char *kind, const char *key, int timeout_ms, char **secret, char **error) {
    REQUIRE_SECRET(error);
    *secret = NULL;
    // libsecret's own lookup first (the hot path: `leapp env` on cached credentials)...
    BEGIN(c, timeout_ms, error);
    GHashTable *attrs = make_attributes(kind, key);
    gchar *value = api.p_secret_password_lookupv_sync(&leapp_schema, attrs, c.w.cancellable, &c.err);
    END(c);
    api.p_g_hash_table_unref(attrs);
    if (c.err) {
        if (value) api.p_secret_password_free(value);
        return finish(c.err, c.fired, error);
    }
    if (value) {
        *secret = strdup(value);
        api.p_secret_password_free(value);
        if (*secret) return LEAPP_SECRET_OK;
        *error = leapp_strdup("out of memory");
        return LEAPP_SECRET_ERROR;
    }
    // ...and when it finds nothing, a search that unlocks nothing tells a locked item from none.
    GList *items;
    SecretItem *item;
    int rc = find_item(kind, key, 0, timeout_ms, &items, &item, error);
    free_items(items);
    return rc == LEAPP_SECRET_OK ? LEAPP_SECRET_NOT_FOUND : rc;
}

int leapp_secret_clear(const char *kind, const char *key, int timeout_ms, char **error) {
    REQUIRE_SECRET(error);
    GList *items;
    SecretItem *item;
    int rc = find_item(kind, key, 0, timeout_ms, &items, &item, error);
    for (GList *i = items; rc == LEAPP_SECRET_OK && i; i = i->next) {
        if (api.p_secret_item_get_locked(i->data)) continue;
        watchdog w;
        if ((rc = watchdog_start(&w, timeout_ms, error)) != 0) break;
        GError *err = NULL;
        api.p_secret_item_delete_sync(i->data, w.cancellable, &err);
        int fired = watchdog_stop(&w);
        // An item another process deleted meanwhile counts as gone.
        if (err && !fired && err->message && strstr(err->message, "No such")) { api.p_g_error_free(err); err = NULL; }
        if (err) rc = finish(err, fired, error);
    }
    free_items(items);
    return rc;
}

int leapp_secret_keys(const char *kind, int timeout_ms, char **keys, char **error) {
    REQUIRE_SECRET(error);
    *keys = NULL;
    GList *items;
    SecretItem *item;
    int rc = find_item(kind, NULL, 0, timeout_ms, &items, &item, error);
    if (rc == LEAPP_SECRET_NOT_FOUND) { *keys = strdup(""); return *keys ? LEAPP_SECRET_OK : LEAPP_SECRET_ERROR; }
    if (rc != LEAPP_SECRET_OK) { free_items(items); return rc; }
    size_t len = 0;
    char *out = calloc(1, 1);
    for (GList *i = items; out && i; i = i->next) {
        GHashTable *attrs = api.p_secret_item_get_attributes(i->data);
        const char *k = attrs ? api.p_g_hash_table_lookup(attrs, "key") : NULL;
        if (k && !strchr(k, '\n')) {
            size_t n = strlen(k);
            char *grown = realloc(out, len + n + 2);
            if (!grown) { free(out); out = NULL; }
            else {
                out = grown;
                memcpy(out + len, k, n);
                len += n;
                out[len++] = '\n';
                out[len] = 0;
            }
        }
        if (attrs) api.p_g_hash_table_unref(attrs);
    }
    free_items(items);
    if (!out) { *error = leapp_strdup("out of memory"); return LEAPP_SECRET_ERROR; }
    *keys = out;
    return LEAPP_SECRET_OK;
}

/* Test support: a TLS server context with a certificate made now (tlscert.h). */
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tlscert.h"

SSL_CTX *t_tls_server(const char *pem_path)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    SSL_CTX *ctx = NULL;
    X509_EXTENSION *ext = NULL;
    if (!k || !x)
        goto out;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, k);
    X509_NAME *n = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1,
                               0);
    X509_set_issuer_name(x, n);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name,
                              "DNS:localhost,IP:127.0.0.1,IP:::1");
    if (!ext || !X509_add_ext(x, ext, -1) || !X509_sign(x, k, EVP_sha256()))
        goto out;
    if (pem_path) {
        FILE *f = fopen(pem_path, "w");
        int ok = f && PEM_write_X509(f, x);
        if (f && fclose(f))
            ok = 0;
        if (!ok)
            goto out;
    }
    ctx = SSL_CTX_new(TLS_server_method());
    if (ctx && (SSL_CTX_use_certificate(ctx, x) != 1 || SSL_CTX_use_PrivateKey(ctx, k) != 1)) {
        SSL_CTX_free(ctx);
        ctx = NULL;
    }
out:
    X509_EXTENSION_free(ext);
    X509_free(x);
    EVP_PKEY_free(k);
    return ctx;
}

/* The set of loaded Sigma rules (load.c). Visible to the module and its tests (which lower
 * max_rules to meet XS_SIGMA_MAX_RULES). */
#ifndef XS_SIGMA_SET_H
#define XS_SIGMA_SET_H

#include "core/strmap.h"
#include "sigma/internal.h"

struct xs_sigma_set {
    xs_arena a;                    /* rules, their strings and globs, skip entries */
    xs_sigma_rule **rule;
    size_t nrule, caprule;
    xs_sigma_skip *skip;
    size_t nskip, capskip;
    pcre2_code **re;               /* every regex compiled, freed with the set */
    size_t nre, capre;
    size_t ncorr;                  /* correlation rules among the rules */
    xs_strmap *ids;                /* rule ids loaded: a second rule with one is skipped */
    xs_strmap *ph;                 /* placeholders for expand: name to xs_splace */
    size_t max_rules;              /* XS_SIGMA_MAX_RULES */
};

#endif

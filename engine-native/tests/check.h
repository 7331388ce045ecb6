/* A minimal test harness: CHECK records a failure with its line and keeps going; main returns the count. */
#ifndef BERTH_CHECK_H
#define BERTH_CHECK_H
#include <stdio.h>
#include <string.h>
static int g_failures, g_checks;
#define CHECK(cond) do { g_checks++; if (!(cond)) { g_failures++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_STR(a, b) do { g_checks++; if (strcmp((a), (b))) { g_failures++; fprintf(stderr, "%s:%d: '%s' != '%s'\n", __FILE__, __LINE__, (a), (b)); } } while (0)
#define DONE(name) do { fprintf(stderr, "%s: %d checks, %d failures\n", name, g_checks, g_failures); return g_failures ? 1 : 0; } while (0)
#endif

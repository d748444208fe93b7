/*
 * normalize: raw field text in, typed and canonical value or a reason out.
 * The contract is include/blendcat/normalize.h; the code is in
 *   normalize.c   booleans, split percentages, null markers, decimal
 *                 commas, dates
 *   norm_text.c   text, NFC, the vocabularies' matching, lists
 *   norm_music.c  key and scale, tempo, durations
 *   norm_ids.c    identifiers and check digits
 *   norm_vocab.c  the vocabularies' and code lists' data
 * and the helpers they share in include/blendcat/norm_internal.h.
 */
#include "blendcat/normalize.h"
#include "blendcat/norm_internal.h"

#include <stdio.h>
#include <string.h>

/* ======================================================================
 * Booleans and split percentages
 * ====================================================================== */

int norm_bool(const char *in, int *val, char *why)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "1", "on" };
	static const char *const no[] = { "false", "f", "no", "n", "0", "off" };
	char q[SNIP_SIZE];
	const char *s;
	size_t n, i;

	*val = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (eq_ci(s, n, yes[i])) {
			*val = 1;
			return 0;
		}
		if (eq_ci(s, n, no[i]))
			return 0;
	}
	return fail(why, "not a boolean: '%s' (expected true/false, yes/no, "
		    "1/0, on/off)", snip(s, n, q));
}

int norm_split(const char *in, int *hundredths, char out[NORM_SPLIT_SIZE],
	       char *why)
{
	char q[SNIP_SIZE];
	struct decimal d;
	const char *s, *rest;
	size_t n, used, rn, i;
	unsigned long long h;

	if (out)
		out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "split percentage must not be negative, "
			    "got '%s'", snip(s, n, q));
	used = scan_decimal(s, n, &d);
	rest = s + used;
	rn = n - used;
	trim(&rest, &rn);
	if (used == 0 || (rn > 0 && !(rn == 1 && rest[0] == '%')))
		return fail(why, "split percentage is not a number: '%s'",
			    snip(s, n, q));
	for (i = 2; i < d.nfrac; i++)
		if (d.frac[i] != '0')
			return fail(why, "'%s' has more than 2 decimal places",
				    snip(s, used, q));
	h = d.ip * 100;
	if (d.nfrac > 0)
		h += (unsigned long long)(d.frac[0] - '0') * 10;
	if (d.nfrac > 1)
		h += (unsigned long long)(d.frac[1] - '0');
	if (d.overflow || d.ip > 100 || h > 10000)
		return fail(why, "split percentage %s exceeds 100",
			    snip(s, used, q));
	if (hundredths)
		*hundredths = (int)h;
	if (out)
		snprintf(out, NORM_SPLIT_SIZE, "%d.%02d", (int)h / 100,
			 (int)h % 100);
	return 0;
}
/* ======================================================================
 * Null markers
 * ====================================================================== */

/* s[0..n) equals t (trimmed), ASCII letters in any case. */
static int same_ci(const char *s, size_t n, const char *t)
{
	size_t tn = t ? strlen(t) : 0, i;

	trim(&t, &tn);
	if (tn != n)
		return 0;
	for (i = 0; i < n; i++)
		if (to_lower((unsigned char)s[i]) != to_lower((unsigned char)t[i]))
			return 0;
	return 1;
}

int norm_null_marker(const char *in, size_t len, const char *const *extra, size_t nextra)
{
	static const char *const markers[] = {
		"n/a", "#n/a", "-", "\xE2\x80\x94", "\xE2\x80\x93", "null", "none", "unknown", "tbd"
	};
	const char *s = in;
	size_t n = in ? len : 0, i;

	/* most cells are no marker: their first byte or their length says so */
	if (!nextra && (n == 0 || n > 16 || !strchr(" \t\r\n\v\fnN#-\xE2uUtT", s[0])))
		return 0;
	trim(&s, &n);
	if (n == 0)
		return 0;
	if (n <= 7 && strchr("nN#-\xE2uUtT", s[0]))
		for (i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
			if (same_ci(s, n, markers[i]))
				return 1;
	for (i = 0; i < nextra; i++)
		if (same_ci(s, n, extra[i]))
			return 1;
	return 0;
}

int norm_decimal_comma(char *s)
{
	char *comma = strchr(s, ',');

	if (!comma || strchr(comma + 1, ',') || strchr(s, '.') || comma == s ||
	    !is_digit((unsigned char)comma[-1]) || !is_digit((unsigned char)comma[1]))
		return 0;
	*comma = '.';
	return 1;
}
/* ======================================================================
 * Dates
 * ====================================================================== */

static int leap_year(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned days[12] = { 31, 28, 31, 30, 31, 30,
					   31, 31, 30, 31, 30, 31 };

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Up to max digits at s[*i..n) -> *v; returns how many were read. */
static size_t scan_uint(const char *s, size_t n, size_t *i, size_t max,
			unsigned *v)
{
	size_t k = 0;

	*v = 0;
	while (*i < n && k <= max && is_digit((unsigned char)s[*i])) {
		*v = *v * 10 + (unsigned)(s[*i] - '0');
		(*i)++;
		k++;
	}
	return k;
}

static int is_date_sep(int c)
{
	return c == '-' || c == '/' || c == '.';
}

/* Check y, m, d and write "YYYY-MM-DD". */
static int date_out(unsigned y, unsigned m, unsigned d, char *out, char *why)
{
	if (y < 1000 || y > 9999)
		return fail(why, "year %u out of range 1000-9999", y);
	if (m < 1 || m > 12)
		return fail(why, "month %u does not exist", m);
	if (d < 1 || d > days_in_month(y, m))
		return fail(why, "day %u does not exist in %04u-%02u", d, y, m);
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = out[7] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return 0;
}

/* YYYY, YYYY-MM, YYYY-MM-DD (also '/' or '.'); s starts with 4 digits. */
static int date_year_first(const char *s, size_t n, char *out, char *why)
{
	char q[SNIP_SIZE];
	unsigned y, m = 1, d = 1;
	size_t i = 0, k;
	char sep;

	scan_uint(s, n, &i, 4, &y);
	if (i == n)
		return date_out(y, m, d, out, why);
	sep = s[i];
	if (!is_date_sep(sep) || i != 4)
		goto bad;
	i++;
	k = scan_uint(s, n, &i, 2, &m);
	if (k == 0 || k > 2)
		goto bad;
	if (i < n) {
		if (s[i] != sep)
			goto bad;
		i++;
		k = scan_uint(s, n, &i, 2, &d);
		if (k == 0 || k > 2 || i != n)
			goto bad;
	}
	return date_out(y, m, d, out, why);
bad:
	return fail(why, "expected a date like YYYY-MM-DD, got '%s'",
		    snip(s, n, q));
}

/* 15/01/2024 (dmy) or 01/15/2024 (mdy). */
static int date_day_month(const char *s, size_t n, enum norm_date_order order,
			  char *out, char *why)
{
	char q[SNIP_SIZE];
	unsigned a, b, y;
	size_t i = 0, ka, kb, ky;
	char sep;

	ka = scan_uint(s, n, &i, 2, &a);
	if (ka == 0 || ka > 2 || i == n || !is_date_sep(s[i]))
		goto bad;
	sep = s[i++];
	kb = scan_uint(s, n, &i, 2, &b);
	if (kb == 0 || kb > 2 || i == n || s[i] != sep)
		goto bad;
	i++;
	ky = scan_uint(s, n, &i, 4, &y);
	if (i != n)
		goto bad;
	if (ky != 4)
		return fail(why, "expected a 4-digit year in '%s'",
			    snip(s, n, q));
	if (order == NORM_DATE_DMY)
		return date_out(y, b, a, out, why);
	return date_out(y, a, b, out, why);
bad:
	return fail(why, "expected a date like %s, got '%s'",
		    order == NORM_DATE_DMY ? "DD/MM/YYYY" : "MM/DD/YYYY",
		    snip(s, n, q));
}

/* H. Hinnant's algorithms (chrono-Compatible Low-Level Date Algorithms). */
long norm_days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

void norm_civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

int norm_date(const char *in, enum norm_date_order order,
	      char out[NORM_DATE_SIZE], char *why)
{
	char q[SNIP_SIZE];
	const char *s;
	size_t n, i = 0;
	unsigned v;
	int r;

	out[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (scan_uint(s, n, &i, 4, &v) == 4 && (i == n || !is_digit(s[i])))
		r = date_year_first(s, n, out, why);
	else if (i >= 1 && i <= 2 && i < n && is_date_sep(s[i]) &&
		 order == NORM_DATE_ISO)
		return fail(why, "'%s' is day-first or month-first: give "
			    "--date-order dmy or mdy", snip(s, n, q));
	else if (i >= 1 && i <= 2)
		r = date_day_month(s, n, order, out, why);
	else
		return fail(why, "expected a date like YYYY-MM-DD, got '%s'",
			    snip(s, n, q));
	if (r < 0)
		out[0] = '\0';
	return r;
}

/* A month part: 1-2 digits, or an English month name or its abbreviation. */
static int month_part(const char *s, size_t n, unsigned *m)
{
	static const char *const names[] = { "january", "february", "march", "april", "may",
					     "june", "july", "august", "september", "october",
					     "november", "december" };
	static const char *const abbr[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
					    "aug", "sep", "oct", "nov", "dec" };
	size_t i = 0, k;

	if (n <= 2 && scan_uint(s, n, &i, 2, m) > 0 && i == n)
		return 0;
	for (k = 0; k < 12; k++)
		if (eq_ci(s, n, names[k]) || eq_ci(s, n, abbr[k]) ||
		    (k == 8 && eq_ci(s, n, "sept"))) {
			*m = (unsigned)k + 1;
			return 0;
		}
	return -1;
}

int norm_date_parts(const char *const *parts, size_t n, enum norm_date_order order,
		    char out[NORM_DATE_SIZE], int *dropped, char *why)
{
	char q[SNIP_SIZE], q2[SNIP_SIZE], q3[SNIP_SIZE], buf[32];
	const char *p[3], *ys = "", *ms = "", *ds = "";
	size_t len[3], yn = 0, mn = 0, dn = 0, i;
	unsigned m = 0;
	int year_first;

	out[0] = '\0';
	*dropped = 0;
	if (n < 2 || n > 3)
		return fail(why, "a date in parts needs 2 or 3 parts, not %zu", n);
	for (i = 0; i < n; i++)
		range_of(parts[i], &p[i], &len[i]);
	year_first = (len[0] == 4 && all_digits(p[0], 4)) ||
		     (!(len[n - 1] == 4 && all_digits(p[n - 1], 4)) && order == NORM_DATE_ISO);
	if (year_first) {
		ys = p[0], yn = len[0], ms = p[1], mn = len[1];
		if (n == 3)
			ds = p[2], dn = len[2];
	} else if (n == 2) {
		ms = p[0], mn = len[0], ys = p[1], yn = len[1];
	} else if (order == NORM_DATE_DMY) {
		ds = p[0], dn = len[0], ms = p[1], mn = len[1], ys = p[2], yn = len[2];
	} else if (order == NORM_DATE_MDY) {
		ms = p[0], mn = len[0], ds = p[1], dn = len[1], ys = p[2], yn = len[2];
	} else {
		return fail(why, "date parts '%s', '%s', '%s' end with the year: give "
			    "--date-order dmy or mdy", snip(p[0], len[0], q), snip(p[1], len[1], q2),
			    snip(p[2], len[2], q3));
	}
	if (yn == 0) {
		*dropped = mn || dn;
		return NORM_EMPTY;
	}
	if (mn == 0 && dn) {
		*dropped = 1;
		dn = 0;
	}
	if (yn != 4 || !all_digits(ys, 4))
		return fail(why, "year '%s' is not 4 digits", snip(ys, yn, q));
	if (mn && month_part(ms, mn, &m) < 0)
		return fail(why, "unknown month '%s'", snip(ms, mn, q));
	if (dn && (dn > 2 || !all_digits(ds, dn)))
		return fail(why, "day '%s' is not a number of 1 or 2 digits", snip(ds, dn, q));
	if (!mn)
		snprintf(buf, sizeof(buf), "%.4s", ys);
	else if (!dn)
		snprintf(buf, sizeof(buf), "%.4s-%02u", ys, m);
	else
		snprintf(buf, sizeof(buf), "%.4s-%02u-%.*s", ys, m, (int)dn, ds);
	return norm_date(buf, NORM_DATE_ISO, out, why);
}

int norm_date_order_parse(const char *name, enum norm_date_order *order)
{
	size_t n = name ? strlen(name) : 0;

	if (eq_ci(name, n, "iso"))
		*order = NORM_DATE_ISO;
	else if (eq_ci(name, n, "dmy"))
		*order = NORM_DATE_DMY;
	else if (eq_ci(name, n, "mdy"))
		*order = NORM_DATE_MDY;
	else
		return -1;
	return 0;
}

/*
 * norm_music: musical key and scale (standard, Camelot, Open Key, pitch
 * class, MEAD Harmony), tempo and durations.  Part of normalize: the
 * contract is include/blendcat/normalize.h.
 */
#include "blendcat/normalize.h"
#include "blendcat/norm_internal.h"
#include "blendcat/norm_vocab.h"

#include <limits.h>
#include <string.h>

/* ======================================================================
 * Musical key and scale
 * ====================================================================== */

/*
 * Camelot and Open Key numbers from NORMALIZATION.md, with f = 7p mod 12.
 * Parsing inverts them by trying the 12 pitch classes, so the formulas
 * stay the only source of truth.
 */
static int camelot_number(int p, int minor)
{
	int f = 7 * p % 12;

	return minor ? (f + 4) % 12 + 1 : (f + 7) % 12 + 1;
}

static int open_key_number(int p, int minor)
{
	int f = 7 * p % 12;

	return minor ? (f + 9) % 12 + 1 : f + 1;
}

static void set_key(int p, int minor, char *key, char *scale)
{
	strcpy(key, vocab_pitch_names[p]);
	strcpy(scale, minor ? "minor" : "major");
}

/* 1 major, 0 minor, -1 not a scale word. */
static int scale_word(const char *s, size_t n)
{
	if (n == 1 && s[0] == 'm')
		return 0;
	if (n == 1 && s[0] == 'M')
		return 1;
	if (eq_ci(s, n, "min") || eq_ci(s, n, "minor"))
		return 0;
	if (eq_ci(s, n, "maj") || eq_ci(s, n, "major"))
		return 1;
	return -1;
}

/* "8A", "12b", "1d", "10m": Camelot or Open Key. */
static int parse_wheel(const char *s, size_t n, char *key, char *scale,
		       char *why)
{
	char q[SNIP_SIZE];
	size_t i = 0, j;
	int num = 0, minor, camelot, p;
	char c;

	while (i < n && i < 3 && is_digit((unsigned char)s[i]))
		num = num * 10 + (s[i++] - '0');
	j = i;
	while (j < n && s[j] == ' ')
		j++;
	if (i == 3 || j + 1 != n)
		return fail(why, "unknown key '%s': expected 1A-12B (Camelot) "
			    "or 1d-12m (Open Key)", snip(s, n, q));
	c = (char)to_lower((unsigned char)s[j]);
	if (c != 'a' && c != 'b' && c != 'd' && c != 'm')
		return fail(why, "unknown key '%s': expected 1A-12B (Camelot) "
			    "or 1d-12m (Open Key)", snip(s, n, q));
	camelot = c == 'a' || c == 'b';
	if (num < 1 || num > 12)
		return fail(why, "%s number %d out of range 1-12",
			    camelot ? "Camelot" : "Open Key", num);
	minor = c == 'a' || c == 'm';
	for (p = 0; p < 12; p++) {
		int k = camelot ? camelot_number(p, minor)
				: open_key_number(p, minor);

		if (k == num)
			break;
	}
	set_key(p, minor, key, scale);
	return 0;
}

/* Accidental at s[0..n): +1 sharp, -1 flat, 0 none; *used bytes. */
static int accidental(const char *s, size_t n, size_t *used)
{
	*used = 0;
	if (n >= 1 && s[0] == '#') {
		*used = 1;
		return 1;
	}
	if (n >= 1 && s[0] == 'b') {
		*used = 1;
		return -1;
	}
	if (n >= 3 && memcmp(s, "\xE2\x99\xAF", 3) == 0) {
		*used = 3;
		return 1;
	}
	if (n >= 3 && memcmp(s, "\xE2\x99\xAD", 3) == 0) {
		*used = 3;
		return -1;
	}
	return 0;
}

/* "C", "c#", "Db", "D♭ minor", "F#M", "A min". */
static int parse_standard(const char *s, size_t n, char *key, char *scale,
			  int *scale_explicit, char *why)
{
	static const int base[7] = { 9, 11, 0, 2, 4, 5, 7 }; /* A..G */
	char q[SNIP_SIZE], q2[SNIP_SIZE];
	int letter = to_upper((unsigned char)s[0]), p, acc, minor;
	size_t used, i = 1;
	const char *rest;
	size_t rn;

	if (letter < 'A' || letter > 'G')
		return fail(why, "unknown key '%s'", snip(s, n, q));
	acc = accidental(s + i, n - i, &used);
	i += used;
	p = (base[letter - 'A'] + acc + 12) % 12;
	if (used && accidental(s + i, n - i, &used) != 0)
		return fail(why, "double accidental in key '%s'",
			    snip(s, n, q));
	rest = s + i;
	rn = n - i;
	trim(&rest, &rn);
	if (rn == 0) {
		set_key(p, 0, key, scale);
		*scale_explicit = 0;
		return 0;
	}
	minor = scale_word(rest, rn);
	if (minor < 0)
		return fail(why, "unknown scale '%s' in key '%s'",
			    snip(rest, rn, q2), snip(s, n, q));
	set_key(p, minor == 0, key, scale);
	*scale_explicit = 1;
	return 0;
}

int norm_key(const char *in, char key[NORM_KEY_SIZE],
	     char scale[NORM_SCALE_SIZE], int *scale_explicit, char *why)
{
	const char *s;
	size_t n;
	int dummy, r;

	if (!scale_explicit)
		scale_explicit = &dummy;
	*scale_explicit = 0;
	key[0] = scale[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (is_digit((unsigned char)s[0])) {
		r = parse_wheel(s, n, key, scale, why);
		*scale_explicit = r == 0;
	} else {
		r = parse_standard(s, n, key, scale, scale_explicit, why);
	}
	if (r < 0)
		key[0] = scale[0] = '\0';
	return r;
}

int norm_key_pitch(int pitch, int mode, char key[NORM_KEY_SIZE],
		   char scale[NORM_SCALE_SIZE], char *why)
{
	key[0] = scale[0] = '\0';
	if (pitch == -1)
		return NORM_EMPTY;
	if (pitch < 0 || pitch > 11)
		return fail(why, "pitch class %d out of range 0-11", pitch);
	if (mode < -1 || mode > 1)
		return fail(why, "mode %d out of range: expected 1 (major), "
			    "0 (minor) or -1 (unknown)", mode);
	strcpy(key, vocab_pitch_names[pitch]);
	if (mode >= 0)
		strcpy(scale, mode == 1 ? "major" : "minor");
	return 0;
}

/* One spelling of a MEAD RootChordNote: a bare tonic, no scale. */
static int mead_tonic(const char *s, size_t n, char key[NORM_KEY_SIZE])
{
	char scale[NORM_SCALE_SIZE], why[NORM_WHY_MAX];
	int explicit = 0;

	if (n == 0 || is_digit((unsigned char)s[0]))
		return -1;
	if (parse_standard(s, n, key, scale, &explicit, why) < 0 || explicit)
		return -1;
	return 0;
}

/* A RootChordQuality: 1 major, 0 minor, -1 neither, -2 not one of MEAD's. */
static int mead_quality(const char *s, size_t n)
{
	static const char *const major[] = { "MajorTriad", "MajorSeventh", "MajorSixth" };
	static const char *const minor[] = { "MinorTriad", "MinorSeventh", "MinorSixth" };
	static const char *const other[] = {
		"AugmentedSeventh", "AugmentedTriad", "DiminishedSeventh", "DiminishedTriad",
		"DominantSeventh", "Fifth", "HalfDiminishedSeventh", "MajorMinorSeventh",
		"Suspended", "UserDefined",
	};
	size_t i;

	for (i = 0; i < sizeof(major) / sizeof(major[0]); i++)
		if (strlen(major[i]) == n && memcmp(major[i], s, n) == 0)
			return 1;
	for (i = 0; i < sizeof(minor) / sizeof(minor[0]); i++)
		if (strlen(minor[i]) == n && memcmp(minor[i], s, n) == 0)
			return 0;
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (strlen(other[i]) == n && memcmp(other[i], s, n) == 0)
			return -1;
	return -2;
}

int norm_mead_key(const char *note, const char *quality, char key[NORM_KEY_SIZE],
		  char scale[NORM_SCALE_SIZE], char *why)
{
	char q[SNIP_SIZE], other[NORM_KEY_SIZE];
	const char *s, *slash;
	size_t n, first;
	int kind = -1;

	key[0] = scale[0] = '\0';
	range_of(note, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	slash = memchr(s, '/', n);
	first = slash ? (size_t)(slash - s) : n;
	if (mead_tonic(s, first, key) < 0 ||
	    (slash && mead_tonic(slash + 1, n - first - 1, other) < 0)) {
		key[0] = '\0';
		return fail(why, "unknown RootChordNote '%s'", snip(s, n, q));
	}
	if (slash && strcmp(key, other) != 0) {
		key[0] = '\0';
		return fail(why, "two different notes in RootChordNote '%s'", snip(s, n, q));
	}
	range_of(quality, &s, &n);
	if (n > 0 && (kind = mead_quality(s, n)) == -2) {
		key[0] = '\0';
		return fail(why, "unknown RootChordQuality '%s'", snip(s, n, q));
	}
	if (kind >= 0)
		strcpy(scale, kind ? "major" : "minor");
	return 0;
}

int norm_scale(const char *in, char scale[NORM_SCALE_SIZE], char *why)
{
	char q[SNIP_SIZE];
	const char *s;
	size_t n;
	int major;

	scale[0] = '\0';
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	major = scale_word(s, n);
	if (major < 0)
		return fail(why, "unknown scale '%s': expected major or minor",
			    snip(s, n, q));
	strcpy(scale, major ? "major" : "minor");
	return 0;
}

/* ======================================================================
 * Tempo
 * ====================================================================== */

/* Round half away from zero (the value is never negative). */
static unsigned long long dec_round(const struct decimal *d)
{
	return d->ip + (d->nfrac > 0 && d->frac[0] >= '5');
}

int norm_tempo(const char *in, int *bpm, char *why)
{
	char q[SNIP_SIZE], q2[SNIP_SIZE];
	struct decimal d;
	const char *s, *rest;
	size_t n, used, rn;
	unsigned long long v;

	*bpm = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "tempo must be positive, got '%s'",
			    snip(s, n, q));
	used = scan_decimal(s, n, &d);
	if (used == 0)
		return fail(why, "tempo is not a number: '%s'", snip(s, n, q));
	rest = s + used;
	rn = n - used;
	trim(&rest, &rn);
	if (rn > 0 && !eq_ci(rest, rn, "bpm"))
		return fail(why, "unexpected '%s' after tempo",
			    snip(rest, rn, q2));
	v = dec_round(&d);
	if (d.overflow || v > 999)
		return fail(why, "tempo %s is out of range 1-999",
			    snip(s, used, q));
	if (v == 0)
		return fail(why, "tempo must be positive, got '%s'",
			    snip(s, used, q));
	*bpm = (int)v;
	return 0;
}

/* ======================================================================
 * Durations
 * ====================================================================== */

/* Far beyond INT_MAX, far below overflow of the sums below. */
#define DUR_CAP 1000000000000ULL

static unsigned long long dur_cap(const struct decimal *d)
{
	return d->overflow || d->ip > DUR_CAP ? DUR_CAP : d->ip;
}

/* "1:02:03", "3:00", "03:00.5" -> *total seconds (rounded). */
static int duration_clock(const char *s, size_t n, unsigned long long *total,
			  char *why)
{
	char q[SNIP_SIZE];
	unsigned long long v[3];
	struct decimal d;
	size_t np = 0, i = 0, k, digits, j;

	for (;;) {
		k = scan_decimal(s + i, n - i, &d);
		if (k == 0 || np == 3 || (d.frac && i + k != n))
			return fail(why, "expected h:mm:ss or m:ss, got '%s'",
				    snip(s, n, q));
		digits = d.frac ? (size_t)(d.frac - 1 - (s + i)) : k;
		if (np > 0 && digits != 2)
			return fail(why, "expected two digits after ':' "
				    "in '%s'", snip(s, n, q));
		v[np++] = dur_cap(&d);
		i += k;
		if (i == n)
			break;
		if (s[i] != ':')
			return fail(why, "expected h:mm:ss or m:ss, got '%s'",
				    snip(s, n, q));
		i++;
	}
	for (j = 1; j < np; j++)
		if (v[j] >= 60)
			return fail(why, "%s %llu out of range 0-59 in '%s'",
				    j == np - 1 ? "seconds" : "minutes", v[j],
				    snip(s, n, q));
	*total = np == 3 ? v[0] * 3600 + v[1] * 60 + v[2] : v[0] * 60 + v[1];
	*total += d.nfrac > 0 && d.frac[0] >= '5';
	return 0;
}

/*
 * ISO 8601 / xs:duration: P[nY][nM][nW][nD][T[nH][nM][n[.n]S]].
 * Designators must come in this order; fractions only on seconds.
 */
static int duration_iso(const char *s, size_t n, unsigned long long *total,
			char *why)
{
	static const char date_des[] = "YMWD", time_des[] = "HMS";
	static const unsigned long long date_mul[] = { 0, 0, 604800, 86400 };
	static const unsigned long long time_mul[] = { 3600, 60, 1 };
	char q[SNIP_SIZE];
	struct decimal d;
	size_t i = 1, k, next = 0, comps = 0;
	int in_time = 0, round_up = 0;
	const char *des, *hit;

	*total = 0;
	while (i < n) {
		if (!in_time && to_upper((unsigned char)s[i]) == 'T') {
			in_time = 1;
			next = 0;
			i++;
			continue;
		}
		k = scan_decimal(s + i, n - i, &d);
		des = in_time ? time_des : date_des;
		if (k == 0 || i + k == n)
			goto bad;
		hit = strchr(des + next, to_upper((unsigned char)s[i + k]));
		if (!hit || s[i + k] == '\0' || (d.frac && *hit != 'S'))
			goto bad;
		next = (size_t)(hit - des) + 1;
		if (!in_time && next <= 2 && (d.ip != 0 || d.overflow))
			return fail(why, "years and months have no fixed "
				    "length in duration '%s'", snip(s, n, q));
		*total += dur_cap(&d) *
			  (in_time ? time_mul[next - 1] : date_mul[next - 1]);
		if (d.frac)
			round_up = d.nfrac > 0 && d.frac[0] >= '5';
		comps++;
		i += k + 1;
	}
	if (comps == 0 || to_upper((unsigned char)s[n - 1]) == 'T')
		goto bad;
	*total += (unsigned long long)round_up;
	return 0;
bad:
	return fail(why, "invalid ISO 8601 duration '%s'", snip(s, n, q));
}

int norm_duration(const char *in, unsigned flags, int *secs, char *why)
{
	char q[SNIP_SIZE];
	unsigned long long total = 0;
	struct decimal d;
	const char *s;
	size_t n, k;
	int r;

	*secs = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "negative duration '%s'", snip(s, n, q));
	if (to_upper((unsigned char)s[0]) == 'P') {
		r = duration_iso(s, n, &total, why);
	} else if (memchr(s, ':', n)) {
		r = duration_clock(s, n, &total, why);
	} else {
		k = scan_decimal(s, n, &d);
		if (k != n)
			return fail(why, "duration is not a number of seconds, "
				    "m:ss or ISO 8601: '%s'", snip(s, n, q));
		total = d.overflow ? DUR_CAP : dec_round(&d);
		r = 0;
	}
	if (r < 0)
		return -1;
	if (total > INT_MAX)
		return fail(why, "duration '%s' exceeds %d seconds",
			    snip(s, n, q), INT_MAX);
	if (total == 0 && !(flags & NORM_DURATION_ZERO_OK))
		return NORM_EMPTY;
	*secs = (int)total;
	return 0;
}

int norm_duration_ms(const char *in, int *secs, char *why)
{
	char q[SNIP_SIZE];
	struct decimal d;
	const char *s;
	size_t n, k;

	*secs = 0;
	range_of(in, &s, &n);
	if (n == 0)
		return NORM_EMPTY;
	if (s[0] == '-')
		return fail(why, "negative duration '%s' ms", snip(s, n, q));
	k = scan_decimal(s, n, &d);
	if (k != n)
		return fail(why, "expected a number of milliseconds, got '%s'", snip(s, n, q));
	if (d.overflow || (d.ip + 500) / 1000 > INT_MAX)
		return fail(why, "duration '%s' ms exceeds %d seconds", snip(s, n, q), INT_MAX);
	/* half up: a fraction of a millisecond never moves a second */
	*secs = (int)((d.ip + 500) / 1000);
	return *secs ? 0 : NORM_EMPTY;
}

/*
 * cli: options, the command table, the connection and exit codes (git.c's
 * commands[] with its RUN_SETUP flags).
 */
#include "blendcat/cli.h"
#include "blendcat/buf.h"
#include "blendcat/db.h"
#include "blendcat/diag.h"
#include "blendcat/export.h"
#include "blendcat/export_ddex.h"
#include "blendcat/import.h"
#include "blendcat/loaddiff.h"
#include "blendcat/maintain.h"
#include "blendcat/migrate.h"
#include "blendcat/normalize.h"
#include "blendcat/scan.h"
#include "blendcat/sheet.h"
#include "blendcat/version.h"
#include "blendcat/xalloc.h"

#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A command from its setup() to its done(): its options, what it prepared
 * before the database, and the options cli.c connects with.
 */
struct cmd_ctx {
	const char *db;		/* --db */
	int wait;		/* --wait */
	int offline;		/* check --offline */
	unsigned more_flags;	/* setup() asks for more than the command's flags */
	/* migrate */
	char *schemas;
	struct migration_set set;
	enum migrate_op op;
	long n;
	/* import, check */
	struct import_opts import;
	struct import_job *job;
	char *xsd_dir;
	enum import_result result;
	int ran;		/* import_run() was called: result is its */
	/* export */
	struct export_opts export;
	char key[NORM_KEY_SIZE], scale[NORM_SCALE_SIZE];
	/* maintain */
	struct maintain_opts maintain;
};

/* What cli.c does between a command's setup() and its run(). */
#define NEED_DB 0x1u	/* connect (exit 3 when it cannot) */
#define TAKE_LOCK 0x2u	/* and take blendcat's lock (exit 75 when another run holds it) */
#define MAY_DB 0x4u	/* connect when a database is configured and not --offline; go on without */

/* setup() says: connect as the flags say, then run(). */
#define CMD_GO (-1)

struct cmd {
	const char *name;
	/* Options and all that comes before the database: CMD_GO, or the exit code. */
	int (*setup)(struct cmd_ctx *x, int argc, char **argv);
	/* The command, with its connection (NULL under MAY_DB without one): the exit code. */
	int (*run)(struct cmd_ctx *x, PGconn *conn);
	/* Optional, after a CMD_GO setup: frees, and the exit code given code (run's or cli.c's). */
	int (*done)(struct cmd_ctx *x, int code);
	unsigned flags;
	const char *synopsis;
	const char *summary;
};

static int migrate_setup(struct cmd_ctx *x, int argc, char **argv);
static int migrate_exec(struct cmd_ctx *x, PGconn *conn);
static int migrate_done(struct cmd_ctx *x, int code);
static int import_setup(struct cmd_ctx *x, int argc, char **argv);
static int check_setup(struct cmd_ctx *x, int argc, char **argv);
static int import_exec(struct cmd_ctx *x, PGconn *conn);
static int import_done(struct cmd_ctx *x, int code);
static int export_setup(struct cmd_ctx *x, int argc, char **argv);
static int export_exec(struct cmd_ctx *x, PGconn *conn);
static int maintain_setup(struct cmd_ctx *x, int argc, char **argv);
static int maintain_exec(struct cmd_ctx *x, PGconn *conn);

static const struct cmd commands[] = {
	{ "migrate", migrate_setup, migrate_exec, migrate_done, NEED_DB | TAKE_LOCK,
	  "migrate up [N] | down [N|all] | status",
	  "create / roll back the Blendtune database" },
	{ "import", import_setup, import_exec, import_done, NEED_DB | TAKE_LOCK,
	  "import [options] PATH...",
	  "CSV manifests, DDEX messages, audio tags -> PostgreSQL" },
	{ "check", check_setup, import_exec, import_done, MAY_DB,
	  "check [options] PATH...",
	  "the same reading and validation, no database writes" },
	{ "export", export_setup, export_exec, NULL, NEED_DB,
	  "export [options] --format csv|ddex|jsonl|tags --out DIR|-",
	  "write the catalog out" },
	{ "maintain", maintain_setup, maintain_exec, NULL, NEED_DB | TAKE_LOCK,
	  "maintain [--dry-run]",
	  "housekeeping: expired sessions and tokens, VACUUM, ANALYZE" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: blendcat [--help | --version] COMMAND [options] [args]\n\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "  blendcat %-58s %s\n", commands[i].synopsis, commands[i].summary);
	fprintf(fp, "\n'blendcat COMMAND --help' describes a command's options; "
		"'man blendcat' has the whole manual.\n");
}

/* "blendcat: error: what 'arg'" (or just what), then the usage. */
static int usage_error(const char *what, const char *arg)
{
	if (arg)
		fprintf(stderr, "blendcat: error: %s '%s'\n", what, arg);
	else
		fprintf(stderr, "blendcat: error: %s\n", what);
	usage(stderr);
	return EXIT_USAGE;
}

/* An option getopt_long refused: name it, print the command's help. */
static int bad_option(char **argv, const char *help)
{
	if (optopt && optopt < 256)
		fprintf(stderr, "blendcat: error: unknown option '-%c'\n", optopt);
	else
		fprintf(stderr, "blendcat: error: unknown option or missing argument '%s'\n",
			argv[optind - 1]);
	fputs(help, stderr);
	return EXIT_USAGE;
}

/* ----------------------------------------------------------- exit codes */

/* The exit code of an import or a check. */
static int import_exit(enum import_result res)
{
	switch (res) {
	case IMPORT_OK:
		return EXIT_OK;
	case IMPORT_REJECTS:
		return EXIT_REJECTS;
	case IMPORT_USAGE:
		return EXIT_USAGE;
	case IMPORT_INTERRUPTED_INT:
		return EXIT_SIGNAL + SIGINT;
	case IMPORT_INTERRUPTED_TERM:
		return EXIT_SIGNAL + SIGTERM;
	case IMPORT_FAILED:
		break;
	}
	return EXIT_FAILED;
}

/* The exit code of a command that returns 0 or -1. */
static int rc_exit(int rc)
{
	return rc < 0 ? EXIT_FAILED : EXIT_OK;
}

/* -------------------------------------------------------------- migrate */

static const char migrate_help[] =
	"usage: blendcat migrate [options] up [N] | down [N|all] | status\n"
	"\n"
	"  up [N]        apply the next N pending migrations (all when N is omitted)\n"
	"  down [N|all]  roll back the last N applied migrations (1 when omitted);\n"
	"                'all' rolls back every one and leaves nothing behind\n"
	"  status        list every migration: applied, pending, CHANGED or MISSING\n"
	"\n"
	"options:\n"
	"  --db URL        database (else DATABASE_URL, TRACKS_DATABASE_URL, libpq defaults)\n"
	"  --schemas DIR   migrations directory (else BLENDCAT_SCHEMAS, else the installed one)\n"
	"  --wait          wait for another blendcat run to finish instead of exiting 75\n"
	"  -q, --quiet     print only errors\n"
	"  -h, --help      this text\n";

/*
 * A data directory: the option, else the environment variable, else the
 * first of rel (relative to the executable's directory) that holds file:
 * PREFIX/share/blendcat/... when installed, the source tree's when run
 * from build/ or build/san/.  Caller owns it.
 */
static char *find_data_dir(const char *opt, const char *env_name, const char *const *rel,
			   size_t nrel, const char *file)
{
	const char *env = getenv(env_name);
	char exe[PATH_MAX], *slash;
	ssize_t n;
	size_t i;

	if (opt)
		return xstrdup(opt);
	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	for (i = 0; i < nrel; i++) {
		struct buf p = BUF_INIT;
		char *dir = NULL;

		buf_addf(&p, "%s%s/%s", exe, rel[i], file);
		if (access(p.data, R_OK) == 0) {
			buf_setlen(&p, p.len - strlen(file) - 1);
			dir = realpath(p.data, NULL);
		}
		buf_release(&p);
		if (dir)
			return dir;
	}
	return NULL;
}

/* The migrations directory: --schemas, BLENDCAT_SCHEMAS, installed or source tree. */
static char *find_schemas(const char *opt)
{
	static const char *const rel[] = { "/../share/blendcat/schemas", "/../schemas",
					   "/../../schemas" };

	return find_data_dir(opt, "BLENDCAT_SCHEMAS", rel, sizeof(rel) / sizeof(rel[0]),
			     "001_initial_schema.sql");
}

/*
 * The DDEX XSDs (--validate-xsd): --xsd-dir, BLENDCAT_XSD_DIR, or the
 * copy `make install XSD_SRC=DIR` put in PREFIX/share/blendcat/xsd.  DDEX
 * publishes them; blendcat does not ship them.
 */
static char *find_xsd_dir(const char *opt)
{
	static const char *const rel[] = { "/../share/blendcat/xsd" };

	return find_data_dir(opt, "BLENDCAT_XSD_DIR", rel, sizeof(rel) / sizeof(rel[0]),
			     "ern43/release-notification.xsd");
}

/* Parse a step count: a positive number, or "all" when allow_all. */
static int parse_count(const char *s, long *n)
{
	char *end;
	long v;

	if (strcmp(s, "all") == 0) {
		*n = -1;
		return 0;
	}
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1)
		return -1;
	*n = v;
	return 0;
}

enum { OPT_DB = 256, OPT_SCHEMAS, OPT_WAIT };

static int migrate_setup(struct cmd_ctx *x, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "schemas", required_argument, NULL, OPT_SCHEMAS },
		{ "wait", no_argument, NULL, OPT_WAIT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *opt_schemas = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: x->db = optarg; break;
		case OPT_SCHEMAS: opt_schemas = optarg; break;
		case OPT_WAIT: x->wait = 1; break;
		case 'q': diag_quiet = 1; break;
		case 'h': fputs(migrate_help, stdout); return EXIT_OK;
		default: return bad_option(argv, migrate_help);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		goto bad_usage;
	if (strcmp(argv[0], "up") == 0) {
		x->op = MIGRATE_UP;
		x->n = -1;
	} else if (strcmp(argv[0], "down") == 0) {
		x->op = MIGRATE_DOWN;
		x->n = 1;
	} else if (strcmp(argv[0], "status") == 0 && argc == 1) {
		x->op = MIGRATE_STATUS;
		x->n = 0;
	} else {
		goto bad_usage;
	}
	if (argc == 2 && (parse_count(argv[1], &x->n) < 0 || (x->op == MIGRATE_UP && x->n < 0)))
		goto bad_usage;

	x->schemas = find_schemas(opt_schemas);
	if (!x->schemas) {
		diag_error(LOC_NONE, "cannot find the migrations directory");
		diag_hint("pass --schemas DIR or set BLENDCAT_SCHEMAS");
		return EXIT_USAGE;
	}
	if (migrate_load_dir(x->schemas, &x->set) < 0)
		return migrate_done(x, EXIT_USAGE);
	return CMD_GO;

bad_usage:
	fputs(migrate_help, stderr);
	return EXIT_USAGE;
}

static int migrate_exec(struct cmd_ctx *x, PGconn *conn)
{
	return rc_exit(migrate_run(conn, &x->set, x->op, x->n));
}

static int migrate_done(struct cmd_ctx *x, int code)
{
	migration_set_release(&x->set);
	free(x->schemas);
	return code;
}

/* -------------------------------------------------------- import, check */

static const char import_help[] =
	"usage: blendcat import [options] PATH...\n"
	"       blendcat check  [options] PATH...\n"
	"\n"
	"Read CSV manifests and label sheets (also .xlsx and .ods workbooks), DDEX\n"
	"messages (ERN; MEAD 1.1 for tempo, key, mood and sections) and audio files\n"
	"(files, or directories searched for them), merge each track's sources (CSV\n"
	"and workbooks over DDEX over tags),\n"
	"normalize and validate every value, and load the catalog in one transaction\n"
	"(import); or only report what would be rejected (check: with a database it\n"
	"makes every check of import and rolls back; without one, each row alone).\n"
	"\n"
	"options:\n"
	"  --db URL            database (else DATABASE_URL, TRACKS_DATABASE_URL, libpq defaults)\n"
	"  --mode MODE         upsert (default): insert new tracks, update given fields of\n"
	"                      existing ones; insert: reject tracks that already exist\n"
	"  --atomic WHAT       run (default): the whole run is one transaction; file: one\n"
	"                      per input file, track files first (a bad row then rejects\n"
	"                      its track's rows in that file only)\n"
	"  --max-rejects N     more than N rejected rows fails the run (nothing is loaded)\n"
	"  --require-audio     reject a manifest's or message's track whose audio file is\n"
	"                      not among the paths given\n"
	"  --title-from-filename\n"
	"                      an audio file without a title takes it from its file name,\n"
	"                      less the extension and a leading track number ('01 - ',\n"
	"                      '01. ', '1 ', '01_'), with a warning; a title from another\n"
	"                      source or in the catalog comes first\n"
	"  --jobs N            threads reading audio tags (default: the number of CPUs);\n"
	"                      the result is the same for every N\n"
	"  --incremental       import: skip audio files whose path, size, mtime and ctime\n"
	"                      are as the last successful run saw them (ingest.file_state);\n"
	"                      report files gone since (their tracks stay)\n"
	"  --apply-takedowns   delete the tracks of releases that DDEX messages take down\n"
	"                      (PurgeReleaseMessage, a release no deal names); without\n"
	"                      it takedowns are only reported\n"
	"  --validate-xsd      validate each DDEX message against its version's official\n"
	"                      XSD first; an invalid message is rejected whole\n"
	"  --xsd-dir DIR       the XSDs, one folder per version: ern382/, ern43/..., mead11/ (else\n"
	"                      BLENDCAT_XSD_DIR, else PREFIX/share/blendcat/xsd, installed by\n"
	"                      make install XSD_SRC=DIR; DDEX publishes them)\n"
	"  --date-order ORDER  iso (default), dmy (15/01/2024) or mdy (01/15/2024)\n";

/* The sheets' options and the rest: one string would be longer than C99 promises. */
static const char import_help_sheets[] =
	"  --encoding NAME     input encoding when not UTF-8 (LATIN1, WINDOWS-1252, ...);\n"
	"                      UTF-16 (Excel's \"Unicode text\") is known by its BOM\n"
	"  --delimiter C       the sheets' separator: , ; | tab or any ASCII character\n"
	"                      (default: sniffed from each file's first line)\n"
	"  --no-header         sheets have no header row: columns are named 1, 2, 3...\n"
	"                      for --map (audio_filename = 1, title = 2)\n"
	"  --null TEXT         a cell holding only TEXT is empty in typed fields, like N/A,\n"
	"                      -, null, none, unknown, TBD (repeatable)\n"
	"  --map FILE          header mapping: 'field = Header' or 'field = H1 + H2' per line;\n"
	"                      'KIND.FIELD = col_#' for numbered column groups (time_1,\n"
	"                      time_2...) and 'KIND.FIELD = col_#? VALUE | ...' for flags\n"
	"  --sheet NAME        the sheet of .xlsx and .ods workbooks to read (default: the\n"
	"                      first visible one)\n"
	"  --rejects DIR       where rejected rows go (default rejects/<run time>/)\n"
	"  --report FILE       write the counts as JSON (mode 0600)\n"
	"  --diff              check: run the whole import in its transaction, print what it\n"
	"                      would change track by track (insert, update with old and new\n"
	"                      values, child rows added and removed, unchanged, delete,\n"
	"                      reject with reasons) to stdout, then roll back\n"
	"  --diff FILE         import: write what it changed, the same way, to FILE (0600)\n"
	"  --diff-format F     text (the default on a terminal): a listing grouped by action,\n"
	"                      unchanged tracks counted, colour unless NO_COLOR is set;\n"
	"                      jsonl (the default otherwise): one JSON object per track\n"
	"  --progress          show progress even when stderr is not a terminal\n"
	"  --no-progress       never show progress\n"
	"  --offline           check: do not use a database even when one is configured\n"
	"  --wait              wait for another blendcat run instead of exiting 75\n"
	"  -q, --quiet         print only errors\n"
	"  -h, --help          this text\n"
	"\n"
	"exit status: 0 all loaded, 1 loaded with rejects, 2 usage, 3 nothing loaded,\n"
	"75 another run holds the lock, 130/143 stopped by SIGINT/SIGTERM (rolled back)\n";

enum { OPT_MODE = 300, OPT_MAX_REJECTS, OPT_DATE_ORDER, OPT_ENCODING, OPT_MAP, OPT_REJECTS,
       OPT_REPORT, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_ATOMIC, OPT_OFFLINE, OPT_REQUIRE_AUDIO,
       OPT_JOBS, OPT_INCREMENTAL, OPT_APPLY_TAKEDOWNS, OPT_VALIDATE_XSD, OPT_XSD_DIR,
       OPT_TITLE_FROM_FILENAME, OPT_DELIMITER, OPT_NULL, OPT_NO_HEADER, OPT_SHEET,
       OPT_DIFF, OPT_DIFF_FORMAT };

/* The --diff options against the others; 0, or the usage error's exit code. */
static int diff_opts_ok(const struct import_opts *o, int check_only, int offline)
{
	if (!o->diff)
		return o->diff_format >= 0 ? usage_error("--diff-format needs --diff", NULL) : 0;
	if (!check_only)
		return 0;
	if (offline)
		return usage_error("check --diff runs the import in the database: not with --offline",
				   NULL);
	if (o->atomic_file)
		return usage_error("check --diff takes the whole run as one transaction: not with "
				   "--atomic file", NULL);
	return 0;
}

#define MAX_NULLS 64

static int import_or_check(struct cmd_ctx *x, int argc, char **argv, int check_only)
{
	/* check --diff writes to stdout; import --diff FILE to FILE */
	const struct option opts[] = {
		{ "diff", check_only ? no_argument : required_argument, NULL, OPT_DIFF },
		{ "diff-format", required_argument, NULL, OPT_DIFF_FORMAT },
		{ "db", required_argument, NULL, OPT_DB },
		{ "wait", no_argument, NULL, OPT_WAIT },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "max-rejects", required_argument, NULL, OPT_MAX_REJECTS },
		{ "date-order", required_argument, NULL, OPT_DATE_ORDER },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "delimiter", required_argument, NULL, OPT_DELIMITER },
		{ "null", required_argument, NULL, OPT_NULL },
		{ "no-header", no_argument, NULL, OPT_NO_HEADER },
		{ "map", required_argument, NULL, OPT_MAP },
		{ "sheet", required_argument, NULL, OPT_SHEET },
		{ "rejects", required_argument, NULL, OPT_REJECTS },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "atomic", required_argument, NULL, OPT_ATOMIC },
		{ "offline", no_argument, NULL, OPT_OFFLINE },
		{ "require-audio", no_argument, NULL, OPT_REQUIRE_AUDIO },
		{ "title-from-filename", no_argument, NULL, OPT_TITLE_FROM_FILENAME },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "incremental", no_argument, NULL, OPT_INCREMENTAL },
		{ "apply-takedowns", no_argument, NULL, OPT_APPLY_TAKEDOWNS },
		{ "validate-xsd", no_argument, NULL, OPT_VALIDATE_XSD },
		{ "xsd-dir", required_argument, NULL, OPT_XSD_DIR },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *nulls[MAX_NULLS];
	struct import_opts o;
	enum import_result res;
	char *end, *xsd_dir = NULL;
	int c, rc;

	memset(&o, 0, sizeof(o));
	o.nulls = nulls;
	o.check_only = check_only;
	o.max_rejects = -1;
	o.jobs = scan_default_jobs();
	o.diff_format = -1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: x->db = optarg; break;
		case OPT_WAIT: x->wait = 1; break;
		case OPT_DIFF:
			o.diff = 1;
			o.diff_path = optarg;
			break;
		case OPT_DIFF_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o.diff_format = LOADDIFF_TEXT;
			else if (strcmp(optarg, "jsonl") == 0)
				o.diff_format = LOADDIFF_JSONL;
			else
				return usage_error("--diff-format must be text or jsonl, not", optarg);
			break;
		case OPT_MODE:
			if (strcmp(optarg, "insert") == 0)
				o.insert_only = 1;
			else if (strcmp(optarg, "upsert") != 0)
				return usage_error("--mode must be insert or upsert, not", optarg);
			break;
		case OPT_MAX_REJECTS:
			o.max_rejects = strtol(optarg, &end, 10);
			if (!*optarg || *end || o.max_rejects < 0)
				return usage_error("--max-rejects needs a number, not", optarg);
			break;
		case OPT_DATE_ORDER:
			if (norm_date_order_parse(optarg, &o.date_order) < 0)
				return usage_error("--date-order must be iso, dmy or mdy, not", optarg);
			break;
		case OPT_ENCODING: o.encoding = optarg; break;
		case OPT_NO_HEADER: o.no_header = 1; break;
		case OPT_NULL:
			if (!*optarg)
				return usage_error("--null needs a marker, not an empty text", NULL);
			if (o.nnulls == MAX_NULLS)
				return usage_error("too many --null markers; the most is 64, not more", NULL);
			nulls[o.nnulls++] = optarg;
			break;
		case OPT_DELIMITER:
			o.delim = sheet_delim_parse(optarg);
			if (o.delim < 0)
				return usage_error("--delimiter needs one ASCII character other than "
						   "a quote (or tab), not", optarg);
			break;
		case OPT_MAP: o.map_path = optarg; break;
		case OPT_SHEET:
			if (!*optarg)
				return usage_error("--sheet needs a sheet name", NULL);
			o.sheet = optarg;
			break;
		case OPT_REJECTS: o.rejects_dir = optarg; break;
		case OPT_REPORT: o.report_path = optarg; break;
		case OPT_PROGRESS: o.progress = 1; break;
		case OPT_OFFLINE: x->offline = 1; break;
		case OPT_REQUIRE_AUDIO: o.require_audio = 1; break;
		case OPT_TITLE_FROM_FILENAME: o.title_from_filename = 1; break;
		case OPT_INCREMENTAL: o.incremental = 1; break;
		case OPT_JOBS: {
			long n = strtol(optarg, &end, 10);

			if (!*optarg || *end || n < 1 || n > SCAN_MAX_JOBS)
				return usage_error("--jobs needs a number from 1 to 256, not", optarg);
			o.jobs = (int)n;
			break;
		}
		case OPT_APPLY_TAKEDOWNS: o.apply_takedowns = 1; break;
		case OPT_VALIDATE_XSD: o.validate_xsd = 1; break;
		case OPT_XSD_DIR: o.xsd_dir = optarg; break;
		case OPT_ATOMIC:
			if (strcmp(optarg, "file") == 0)
				o.atomic_file = 1;
			else if (strcmp(optarg, "run") != 0)
				return usage_error("--atomic must be run or file, not", optarg);
			break;
		case OPT_NO_PROGRESS: o.no_progress = 1; break;
		case 'q': diag_quiet = 1; break;
		case 'h':
			fputs(import_help, stdout);
			fputs(import_help_sheets, stdout);
			return EXIT_OK;
		default:
			bad_option(argv, import_help);
			fputs(import_help_sheets, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "blendcat: error: no PATH given\n");
		fputs(import_help, stderr);
		fputs(import_help_sheets, stderr);
		return EXIT_USAGE;
	}
	if (check_only && o.incremental)
		return usage_error("--incremental is for import: check reads every file", NULL);
	if ((rc = diff_opts_ok(&o, check_only, x->offline)) != 0)
		return rc;
	/* check --diff runs the import itself: a database, and the import's lock */
	if (check_only && o.diff)
		x->more_flags = NEED_DB | TAKE_LOCK;
	o.paths = argv + optind;
	o.npaths = argc - optind;
	if (o.validate_xsd) {
		xsd_dir = find_xsd_dir(o.xsd_dir);
		if (!xsd_dir) {
			diag_error(LOC_NONE, "--validate-xsd: no DDEX XSDs: no --xsd-dir, no "
				   "BLENDCAT_XSD_DIR, and none installed in PREFIX/share/blendcat/xsd");
			diag_hint("DDEX publishes the XSDs (http://ddex.net/xml/ern/43/"
				  "release-notification.xsd and the like); put each version's in its "
				  "folder (ern43/, ern42/..., mead11/) and pass --xsd-dir DIR, or "
				  "install them with make install XSD_SRC=DIR");
			return EXIT_USAGE;
		}
		o.xsd_dir = xsd_dir;
	}
	o.exit_code = import_exit;
	o.offline = check_only && !o.diff && (x->offline || !db_configured(x->db));
	x->import = o;
	x->xsd_dir = xsd_dir;
	res = import_prepare(&x->import, &x->job);
	if (res != IMPORT_OK) {
		free(xsd_dir);
		return import_exit(res);
	}
	return CMD_GO;
}

static int import_setup(struct cmd_ctx *x, int argc, char **argv)
{
	return import_or_check(x, argc, argv, 0);
}

static int check_setup(struct cmd_ctx *x, int argc, char **argv)
{
	return import_or_check(x, argc, argv, 1);
}

static int import_exec(struct cmd_ctx *x, PGconn *conn)
{
	x->result = import_run(x->job, conn);
	x->ran = 1;
	return import_exit(x->result);
}

/* Without a connection (exit 3 or 75) the run failed before it began. */
static int import_done(struct cmd_ctx *x, int code)
{
	enum import_result res = import_finish(x->job, x->ran ? x->result : IMPORT_FAILED);

	free(x->xsd_dir);
	return x->ran ? import_exit(res) : code;
}

/* --------------------------------------------------------------- export */

static const char export_help[] =
	"usage: blendcat export --format csv|jsonl|ddex --out DIR|- [filters]\n"
	"       blendcat export --format tags --audio-root DIR [--dry-run] [filters]\n"
	"\n"
	"  --format csv     the manifest set (tracks.csv, creators.csv, instruments.csv,\n"
	"                   arrangement.csv, samples.csv) in DIR, deterministic order,\n"
	"                   in the form import reads back unchanged\n"
	"  --format jsonl   one object per track with its children, to DIR/tracks.jsonl or -\n"
	"  --format ddex    one DDEX ERN 4.3 NewReleaseMessage per release (tracks grouped\n"
	"                   by catalog number; a track without one is a single) in DIR;\n"
	"                   needs --sender DPID:NAME and --recipient DPID:NAME\n"
	"      --batch      the delivery layout: DIR/<batch id>/<release>/ with resources/,\n"
	"                   BatchComplete_<batch id>.xml written last\n"
	"      --mead       tempo, key, mood and arrangement in a MEAD 1.1 message beside\n"
	"                   each release's\n"
	"  --format tags    write the catalog into the tags of the audio files under\n"
	"                   --audio-root DIR (found by audio_filename), only where a value\n"
	"                   differs; every change is listed on stdout\n"
	"      --dry-run    list the changes, write nothing\n"
	"\n"
	"filters (as the schema doc's \"Get Tracks with Filters\"):\n"
	"  --genre G  --tempo MIN-MAX  --key K (any notation: Am, 8A...)  --scale major|minor\n"
	"  --mood M  --tag T  --catalog-number C  --since TIMESTAMP (updated_at)  --limit N\n"
	"\n"
	"options:\n"
	"  --db URL      database (else DATABASE_URL, TRACKS_DATABASE_URL, libpq defaults)\n"
	"  -q, --quiet   print only errors\n"
	"  -h, --help    this text\n";

enum { OPT_FORMAT = 500, OPT_OUT, OPT_GENRE, OPT_TEMPO, OPT_KEY, OPT_SCALE, OPT_MOOD, OPT_TAG,
       OPT_CATALOG, OPT_SINCE, OPT_LIMIT, OPT_SENDER, OPT_RECIPIENT, OPT_BATCH, OPT_MEAD,
       OPT_AUDIO_ROOT, OPT_EXPORT_DRY_RUN };

/* --sender / --recipient DPID:NAME */
static int party_ok(const char *opt, const char *arg)
{
	const char *colon = arg ? strchr(arg, ':') : NULL;
	char dpid[64];

	if (!arg)
		return diag_error(LOC_NONE, "--format ddex needs --%s DPID:NAME", opt);
	if (!colon || !colon[1] || colon == arg || (size_t)(colon - arg) >= sizeof(dpid)) {
		diag_error(LOC_NONE, "--%s: expected DPID:NAME, not '%s'", opt, arg);
		diag_hint("for example --%s 'PADPIDA2014120301X:Label Name'", opt);
		return -1;
	}
	memcpy(dpid, arg, (size_t)(colon - arg));
	dpid[colon - arg] = '\0';
	if (!ddexw_dpid_ok(dpid))
		return diag_error(LOC_NONE, "--%s: '%s' is not a DDEX party id (PADPIDA followed "
				  "by letters and digits)", opt, dpid);
	return 0;
}

/* --key in any notation: the stored spelling, and its scale when it names one. */
static int export_key(struct export_opts *o, const char *arg, char key[NORM_KEY_SIZE],
		      char scale[NORM_SCALE_SIZE])
{
	char why[NORM_WHY_MAX];
	int explicit_scale = 0;

	if (norm_key(arg, key, scale, &explicit_scale, why) != 0)
		return usage_error("--key: not a key:", arg);
	o->key = key;
	if (explicit_scale && !o->scale)
		o->scale = scale;
	return 0;
}

/* "--format csv writes five files: give --out DIR, not"-style usage errors. */
static int format_error(const struct export_format *f, const char *what, const char *arg)
{
	struct buf msg = BUF_INIT;
	int rc;

	buf_addf(&msg, "--format %s %s", f->name, what);
	rc = usage_error(msg.data, arg);
	buf_release(&msg);
	return rc;
}

/* The options each format needs or refuses, by what the format writes (export.h). */
static int export_format_opts(const struct export_opts *o)
{
	const struct export_format *f = o->format;

	if (f->flags & EXPORT_AUDIO_ROOT) {
		if (!o->audio_root)
			return format_error(f, "needs --audio-root DIR", NULL);
		if (o->out)
			return format_error(f, "writes into the audio files, not --out", o->out);
	} else if (!o->out) {
		return usage_error("export needs --out DIR or --out -", NULL);
	} else if (o->audio_root || o->dry_run) {
		return usage_error("--audio-root and --dry-run are for --format tags, not", f->name);
	}
	if (!(f->flags & EXPORT_DDEX) && (o->sender || o->recipient || o->batch || o->mead))
		return usage_error("--sender, --recipient, --batch and --mead are for --format ddex, not",
				   f->name);
	if ((f->flags & EXPORT_OUT_DIR) && !(f->flags & EXPORT_OUT_STDOUT) &&
	    strcmp(o->out, "-") == 0) {
		struct buf what = BUF_INIT;
		int rc;

		buf_addf(&what, "%s: give --out DIR, not", f->writes);
		rc = format_error(f, what.data, o->out);
		buf_release(&what);
		return rc;
	}
	if ((f->flags & EXPORT_DDEX) &&
	    (party_ok("sender", o->sender) < 0 || party_ok("recipient", o->recipient) < 0))
		return -1;
	return 0;
}

/* --format NAME, or the usage error naming every format. */
static int export_format_arg(struct export_opts *o, const char *name)
{
	struct buf what = BUF_INIT;
	size_t i;
	int rc;

	if (name && (o->format = export_format_find(name)) != NULL)
		return 0;
	buf_adds(&what, "--format must be ");
	for (i = 0; i < export_nformats; i++)
		buf_addf(&what, "%s%s", i == 0 ? "" : i + 1 < export_nformats ? ", " : " or ",
			 export_formats[i].name);
	buf_adds(&what, ", not");
	rc = usage_error(what.data, name ? name : "(none)");
	buf_release(&what);
	return rc;
}

static int export_setup(struct cmd_ctx *x, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "genre", required_argument, NULL, OPT_GENRE },
		{ "tempo", required_argument, NULL, OPT_TEMPO },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "mood", required_argument, NULL, OPT_MOOD },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ "catalog-number", required_argument, NULL, OPT_CATALOG },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "sender", required_argument, NULL, OPT_SENDER },
		{ "recipient", required_argument, NULL, OPT_RECIPIENT },
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "mead", no_argument, NULL, OPT_MEAD },
		{ "audio-root", required_argument, NULL, OPT_AUDIO_ROOT },
		{ "dry-run", no_argument, NULL, OPT_EXPORT_DRY_RUN },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct export_opts o;
	char *end;
	const char *key_arg = NULL, *format = NULL;
	int c;

	memset(&o, 0, sizeof(o));
	o.tempo_min = o.tempo_max = o.limit = -1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: x->db = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_OUT: o.out = optarg; break;
		case OPT_GENRE: o.genre = optarg; break;
		case OPT_KEY: key_arg = optarg; break;
		case OPT_SCALE:
			if (strcmp(optarg, "major") && strcmp(optarg, "minor"))
				return usage_error("--scale must be major or minor, not", optarg);
			o.scale = optarg;
			break;
		case OPT_MOOD: o.mood = optarg; break;
		case OPT_TAG: o.tag = optarg; break;
		case OPT_CATALOG: o.catalog_number = optarg; break;
		case OPT_SINCE: o.since = optarg; break;
		case OPT_SENDER: o.sender = optarg; break;
		case OPT_RECIPIENT: o.recipient = optarg; break;
		case OPT_BATCH: o.batch = 1; break;
		case OPT_MEAD: o.mead = 1; break;
		case OPT_AUDIO_ROOT: o.audio_root = optarg; break;
		case OPT_EXPORT_DRY_RUN: o.dry_run = 1; break;
		case OPT_TEMPO:
			o.tempo_min = strtol(optarg, &end, 10);
			if (end == optarg || *end != '-' || o.tempo_min < 0)
				return usage_error("--tempo needs MIN-MAX, not", optarg);
			o.tempo_max = strtol(end + 1, &end, 10);
			if (*end || o.tempo_max < o.tempo_min)
				return usage_error("--tempo needs MIN-MAX, not", optarg);
			break;
		case OPT_LIMIT:
			o.limit = strtol(optarg, &end, 10);
			if (!*optarg || *end || o.limit < 0)
				return usage_error("--limit needs a number, not", optarg);
			break;
		case 'q': diag_quiet = 1; break;
		case 'h': fputs(export_help, stdout); return EXIT_OK;
		default: return bad_option(argv, export_help);
		}
	}
	if (export_format_arg(&o, format) != 0 || export_format_opts(&o) != 0)
		return EXIT_USAGE;
	if (optind < argc)
		return usage_error("export takes no arguments, not", argv[optind]);
	if (key_arg && export_key(&o, key_arg, x->key, x->scale) != 0)
		return EXIT_USAGE;
	x->export = o;
	return CMD_GO;
}

static int export_exec(struct cmd_ctx *x, PGconn *conn)
{
	return rc_exit(export_run(conn, &x->export));
}

static const char maintain_help[] =
	"usage: blendcat maintain [options]\n"
	"\n"
	"Nightly housekeeping of the Blendtune database, safe to run from cron: delete\n"
	"expired sessions and expired or used email verification and password reset\n"
	"tokens (one transaction), then VACUUM those tables and ANALYZE every table.\n"
	"Prints what it did; every run is recorded in ingest.run.\n"
	"\n"
	"options:\n"
	"  --db URL      database (else DATABASE_URL, TRACKS_DATABASE_URL, libpq defaults)\n"
	"  --dry-run     count what would be deleted, change nothing\n"
	"  --wait        wait for another blendcat run instead of exiting 75\n"
	"  -q, --quiet   print only errors\n"
	"  -h, --help    this text\n";

enum { OPT_DRY_RUN = 400 };

static int maintain_setup(struct cmd_ctx *x, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "wait", no_argument, NULL, OPT_WAIT },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: x->db = optarg; break;
		case OPT_WAIT: x->wait = 1; break;
		case OPT_DRY_RUN: x->maintain.dry_run = 1; break;
		case 'q': diag_quiet = 1; break;
		case 'h': fputs(maintain_help, stdout); return EXIT_OK;
		default: return bad_option(argv, maintain_help);
		}
	}
	if (optind < argc)
		return usage_error("maintain takes no arguments, not", argv[optind]);
	x->maintain.exit_code = rc_exit;
	return CMD_GO;
}

static int maintain_exec(struct cmd_ctx *x, PGconn *conn)
{
	return rc_exit(maintain_run(conn, &x->maintain));
}

/* ----------------------------------------------------------------- main */

/*
 * Connect and lock as a command's flags say, the one place that does:
 * CMD_GO with *conn (NULL when there is none to use), or the exit code.
 */
static int db_setup(unsigned flags, const struct cmd_ctx *x, PGconn **conn)
{
	struct db_target target = DB_TARGET_INIT;
	int locked;

	*conn = NULL;
	if (!(flags & (NEED_DB | MAY_DB)) ||
	    ((flags & MAY_DB) && !(flags & NEED_DB) && (!db_configured(x->db) || x->offline)))
		return CMD_GO;
	db_target_resolve(&target, x->db);
	*conn = db_connect(&target);
	db_target_release(&target);
	if (!*conn && (flags & NEED_DB))
		return EXIT_FAILED;
	if (!*conn) {
		/* MAY_DB is check's */
		diag_warn(LOC_NONE, "checking without the database: checks across rows "
			  "(split totals, sections, duplicates) are skipped");
		return CMD_GO;
	}
	if (!(flags & TAKE_LOCK))
		return CMD_GO;
	locked = db_lock(*conn, x->wait);
	if (locked == 0)
		return CMD_GO;
	return locked > 0 ? EXIT_LOCKED : EXIT_FAILED;
}

static int run_command(const struct cmd *p, int argc, char **argv)
{
	struct cmd_ctx x;
	PGconn *conn = NULL;
	int code;

	memset(&x, 0, sizeof(x));
	code = p->setup(&x, argc, argv);
	if (code != CMD_GO)
		return code;
	code = db_setup(p->flags | x.more_flags, &x, &conn);
	if (code == CMD_GO)
		code = p->run(&x, conn);
	if (conn)
		PQfinish(conn);
	return p->done ? p->done(&x, code) : code;
}

int cli_run(int argc, char **argv)
{
	size_t i;

	if (argc < 2)
		return usage_error("no command given", NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("blendcat %s\n", BLENDCAT_VERSION);
		return EXIT_OK;
	}
	if (argv[1][0] == '-')
		return usage_error("unknown option", argv[1]);
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			optind = 0;	/* a full reset of GNU getopt */
			opterr = 0;
			return run_command(&commands[i], argc - 1, argv + 1);
		}
	return usage_error("unknown command", argv[1]);
}

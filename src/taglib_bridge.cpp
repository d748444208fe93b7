/*
 * taglib_bridge: TagLib 2.0's property-map C API for TagLib 1.x, and MP4
 * freeform atoms the property map leaves out; see
 * include/blendcat/taglib_bridge.h.
 *
 * The only C++ in blendcat.  The Makefile builds it only when pkg-config
 * says taglib_c is older than 2.0; with 2.0 these functions come from
 * libtag_c itself and this file is not compiled.
 *
 * Why the casts are right: in TagLib 1.x, libtag_c's TagLib_File is a
 * TagLib::File (taglib_file_new returns FileRef::create(), a File *;
 * taglib_file_new_type a `new MPEG::File` etc.), so the pointer we get is
 * one (an MP4 file is a TagLib::MP4::File: dynamic_cast tells).  TagLib
 * 2.0 wraps a FileRef instead, which is why this file must not be used
 * with it.
 *
 * What it cannot do differently from 2.0: 2.0 converts with the
 * process-global setting of taglib_set_strings_unicode(), which lives in
 * libtag_c's private state; we always produce UTF-8, which is what that
 * setting gives and what blendcat asks for (tags.c sets it to 1).
 *
 * No C++ exception may cross into C: each entry point catches everything
 * (std::bad_alloc from TagLib's containers) and returns NULL or does
 * nothing.  Every string and array is malloc'd, so C frees them with
 * free() through taglib_property_free().
 */
#include "blendcat/taglib_bridge.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include <mp4file.h>
#include <mp4item.h>
#include <mp4tag.h>
#include <tfile.h>
#include <tpropertymap.h>
#include <tstring.h>
#include <tstringlist.h>

namespace {

/* A malloc'd UTF-8 copy of s, or NULL. */
char *dup_string(const TagLib::String &s)
{
	const std::string u = s.to8Bit(true);
	char *p = static_cast<char *>(std::malloc(u.size() + 1));

	if (p)
		std::memcpy(p, u.c_str(), u.size() + 1);
	return p;
}

/* A NULL-terminated array of room for n strings, all NULL. */
char **new_array(size_t n)
{
	return static_cast<char **>(std::calloc(n + 1, sizeof(char *)));
}

const TagLib::File *file_of(const TagLib_File *file)
{
	return reinterpret_cast<const TagLib::File *>(file);
}

/*
 * Copy n strings into a new array; NULL if memory runs out (what was
 * copied is freed).
 */
template <typename It>
char **copy_strings(It first, It last, size_t n, TagLib::String (*key)(It))
{
	char **a = new_array(n);
	size_t i = 0;

	if (!a)
		return NULL;
	for (; first != last; ++first) {
		if (!(a[i++] = dup_string(key(first)))) {
			taglib_property_free(a);
			return NULL;
		}
	}
	return a;
}

TagLib::String map_key(TagLib::PropertyMap::ConstIterator it)
{
	return it->first;
}

TagLib::String list_item(TagLib::StringList::ConstIterator it)
{
	return *it;
}

void set_property(TagLib_File *file, const char *prop, const char *value, bool append)
{
	if (!file || !prop)
		return;
	try {
		TagLib::File *f = reinterpret_cast<TagLib::File *>(file);
		TagLib::PropertyMap map = f->properties();
		const TagLib::String key(prop, TagLib::String::UTF8);

		if (!value) {
			map.erase(key);
		} else {
			const TagLib::String v(value, TagLib::String::UTF8);
			TagLib::PropertyMap::Iterator it = map.find(key);

			if (it == map.end()) {
				map.insert(key, TagLib::StringList(v));
			} else {
				/*
				 * clear() rather than assigning a new list: 1.13's
				 * StringList has a deprecated implicit operator=.
				 */
				if (!append)
					it->second.clear();
				it->second.append(v);
			}
		}
		/* What the format cannot store comes back; 2.0 ignores it too. */
		f->setProperties(map);
	} catch (...) {
		/* The C API has no way to report it; the tag stays as it was. */
	}
}

/* The MP4 tag of file, or NULL when file is not an MP4 file. */
TagLib::MP4::Tag *mp4_tag(const TagLib_File *file)
{
	const TagLib::MP4::File *f = dynamic_cast<const TagLib::MP4::File *>(file_of(file));

	return f ? f->tag() : NULL;
}

/* The key of a freeform item: "----:MEAN:NAME". */
TagLib::String freeform_key(const char *mean, const char *name)
{
	return TagLib::String("----:") + TagLib::String(mean, TagLib::String::UTF8) + ":" +
	       TagLib::String(name, TagLib::String::UTF8);
}

/* An item's text; TagLib gives a binary-typed atom as bytes. */
void item_text(const TagLib::MP4::Item &item, TagLib::StringList &out)
{
	const TagLib::StringList s = item.toStringList();
	const TagLib::ByteVectorList b = item.toByteVectorList();

	out.append(s);
	if (s.isEmpty())
		for (TagLib::ByteVectorList::ConstIterator it = b.begin(); it != b.end(); ++it)
			out.append(TagLib::String(*it, TagLib::String::UTF8));
}

} /* namespace */

extern "C" char **taglib_property_keys(const TagLib_File *file)
{
	if (!file)
		return NULL;
	try {
		const TagLib::PropertyMap map = file_of(file)->properties();

		if (map.isEmpty())
			return NULL;
		return copy_strings(map.begin(), map.end(), map.size(), map_key);
	} catch (...) {
		return NULL;
	}
}

extern "C" char **taglib_property_get(const TagLib_File *file, const char *prop)
{
	if (!file || !prop)
		return NULL;
	try {
		const TagLib::PropertyMap map = file_of(file)->properties();
		TagLib::PropertyMap::ConstIterator it =
			map.find(TagLib::String(prop, TagLib::String::UTF8));

		if (it == map.end())
			return NULL;
		return copy_strings(it->second.begin(), it->second.end(), it->second.size(),
				    list_item);
	} catch (...) {
		return NULL;
	}
}

extern "C" void taglib_property_set(TagLib_File *file, const char *prop, const char *value)
{
	set_property(file, prop, value, false);
}

extern "C" void taglib_property_set_append(TagLib_File *file, const char *prop,
					   const char *value)
{
	set_property(file, prop, value, true);
}

extern "C" void taglib_property_free(char **props)
{
	char **p;

	if (!props)
		return;
	for (p = props; *p; p++)
		std::free(*p);
	std::free(props);
}

extern "C" char **bridge_mp4_freeform_get(const TagLib_File *file, const char *mean,
					  const char *name)
{
	if (!file || !mean || !name)
		return NULL;
	try {
		const TagLib::MP4::Tag *tag = mp4_tag(file);
		TagLib::StringList values;
		const TagLib::StringList &v = values;

		if (!tag)
			return NULL;
		const TagLib::String want = freeform_key(mean, name).upper();
		const TagLib::MP4::ItemMap &items = tag->itemMap();

		for (TagLib::MP4::ItemMap::ConstIterator it = items.begin(); it != items.end(); ++it)
			if (it->first.upper() == want)
				item_text(it->second, values);
		if (v.isEmpty())
			return NULL;
		return copy_strings(v.begin(), v.end(), v.size(), list_item);
	} catch (...) {
		return NULL;
	}
}

extern "C" int bridge_mp4_freeform_set(TagLib_File *file, const char *mean, const char *name,
				       const char *const *values)
{
	if (!file || !mean || !name)
		return -1;
	try {
		TagLib::MP4::Tag *tag = mp4_tag(file);
		TagLib::StringList drop, v;

		if (!tag)
			return -1;
		TagLib::String key = freeform_key(mean, name);
		const TagLib::String want = key.upper();
		const TagLib::MP4::ItemMap &items = tag->itemMap();

		for (TagLib::MP4::ItemMap::ConstIterator it = items.begin(); it != items.end(); ++it)
			if (it->first.upper() == want)
				drop.append(it->first);
		if (!drop.isEmpty())
			key = drop.front();	/* keep the file's spelling */
		for (TagLib::StringList::ConstIterator it = drop.begin(); it != drop.end(); ++it)
			tag->removeItem(*it);
		for (; values && *values; values++)
			v.append(TagLib::String(*values, TagLib::String::UTF8));
		if (!v.isEmpty())
			tag->setItem(key, TagLib::MP4::Item(v));
		return 0;
	} catch (...) {
		return -1;
	}
}

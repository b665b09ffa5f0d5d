#!/usr/bin/env bash
# Builds a real BigDataViewer 10.6.11 ("the BDV kit") from public sources with javac, outside the plugin's build,
# for the optional integration test BdvKitIT (see README.md beside this script).
#
#   bench/bdv-kit/build.sh SOURCES [KIT]
#
# SOURCES holds a git clone (bare or not) of each repository below, as SOURCES/<owner>+<name>/repo or
# SOURCES/<name>; KIT (default /work/bdvkit) receives src/, lib/, classes/ and classpath.txt. None of these
# libraries is on Maven Central, so each is taken at its release tag and compiled here; the jars they need that are
# on Central come through pom.xml beside this script, and jhdf5 from Debian (libsis-jhdf5-java, 19.04.1 as BDV uses).
set -euo pipefail

SOURCES=${1:?usage: build.sh SOURCES [KIT]}
KIT=${2:-/work/bdvkit}
HERE=$(cd "$(dirname "$0")" && pwd)

# owner/name tag: compiled whole (they carry annotation indexes or are small) ...
WHOLE="bigdataviewer/bigdataviewer-core bigdataviewer-core-10.6.11
bigdataviewer/spimdata spim_data-2.3.5
saalfeldlab/n5 n5-4.0.0
imglib/imglib2-cache imglib2-cache-1.0.0-beta-20
imglib/imglib2-realtransform imglib2-realtransform-4.0.4
scijava/ui-behaviour ui-behaviour-2.0.8
scijava/scijava-listeners scijava-listeners-1.0.0-beta-3
scijava/scijava-optional scijava-optional-1.0.1
saalfeldlab/jitk-tps jitk-tps-3.0.4"
# ... and only the classes BDV reaches (large libraries; javac takes what is referenced from -sourcepath)
REFERENCED="imglib/imglib2-algorithm imglib2-algorithm-0.18.1
imglib/imglib2-roi imglib2-roi-0.15.2"

gitdir() { # the clone of owner/name under SOURCES
	local owner=${1%%/*} name=${1##*/}
	for d in "$SOURCES/$owner+$name/repo" "$SOURCES/$owner+$name" "$SOURCES/$name"; do
		[ -d "$d" ] && { echo "$d"; return; }
	done
	echo "No clone of $1 under $SOURCES (looked for $owner+$name/repo, $owner+$name and $name)" >&2
	exit 1
}

rm -rf "$KIT/src" "$KIT/classes"
mkdir -p "$KIT/src" "$KIT/classes" "$KIT/lib"
sourcepath=()
while read -r repo tag; do
	[ -n "$repo" ] || continue
	d=$(gitdir "$repo")
	out="$KIT/src/${repo##*/}"
	mkdir -p "$out"
	git --git-dir="$(git -C "$d" rev-parse --absolute-git-dir)" archive "$tag" src/main | tar -x -C "$out"
	echo "$repo $tag $(git -C "$d" rev-parse "$tag^{commit}")" >> "$KIT/src/VERSIONS.tmp"
	sourcepath+=("$out/src/main/java")
done <<< "$WHOLE
$REFERENCED"
mv "$KIT/src/VERSIONS.tmp" "$KIT/src/VERSIONS"

# jars from Maven Central (pom.xml) and Debian's jhdf5
mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$KIT/lib"
JHDF5=/usr/share/java/sis-jhdf5.jar
[ -f "$JHDF5" ] || { echo "jhdf5 missing: apt-get install -y libsis-jhdf5-java" >&2; exit 1; }
cp "$JHDF5" "$KIT/lib/"
cp="$(ls "$KIT"/lib/*.jar | tr '\n' ':')"

# the whole-compiled sources as one list; scijava-common's annotation processor (on the class path) writes the
# indexes spim_data and n5 look their ImgLoaders and compressions up in
: > "$KIT/src/files.txt"
while read -r repo tag; do find "$KIT/src/${repo##*/}/src/main/java" -name '*.java' >> "$KIT/src/files.txt"; done <<< "$WHOLE"
if ! javac -nowarn -encoding UTF-8 --release 17 -J-Xmx1500m -d "$KIT/classes" -cp "$cp" \
	-sourcepath "$(IFS=:; echo "${sourcepath[*]}")" @"$KIT/src/files.txt" > "$KIT/javac.log" 2>&1; then
	cat "$KIT/javac.log" >&2
	echo "javac failed (log: $KIT/javac.log)" >&2
	exit 1
fi
for s in "$KIT"/src/*/src/main/resources; do [ -d "$s" ] && cp -r "$s"/. "$KIT/classes/"; done

echo "$KIT/classes:${cp%:}" > "$KIT/classpath.txt"
echo "BDV kit in $KIT: $(find "$KIT/classes" -name '*.class' | wc -l) classes; class path in $KIT/classpath.txt"

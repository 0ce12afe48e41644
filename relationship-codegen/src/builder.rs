//! [`Builder`]: generate a schema's typed module from a build script.
//!
//! In `build.rs`:
//!
//! ```no_run
//! if let Err(e) = relationship_codegen::Builder::new()
//!     .schema("schemas/my_schema.json")
//!     .module_name("my_schema")
//!     .compile()
//! {
//!     eprintln!("error: {e}");
//!     std::process::exit(1);
//! }
//! ```
//!
//! Then in `src/lib.rs` (this defines `pub mod my_schema { ... }`):
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/my_schema.rs"));
//! ```

use std::path::{Path, PathBuf};

use relationship_schema::{Schema, SchemaErrors};

use crate::generate::{GenerateError, GenerateOptions, generate};
use crate::output::OutputError;
pub use crate::output::write_if_changed;
use crate::tables::generate_tables;

/// Why [`Builder::compile`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No schema file was given.
    #[error("no schema file: call `Builder::schema(\"schemas/....json\")`")]
    NoSchema,
    /// Neither [`Builder::out_dir`] was called nor `OUT_DIR` set (not in a build script).
    #[error("`OUT_DIR` is not set: run from a build script or call `Builder::out_dir`")]
    NoOutDir,
    /// The module name is not a Rust identifier.
    #[error("module name `{0}` is not a valid Rust identifier")]
    ModuleName(String),
    /// The output file name is empty or has a directory part.
    #[error("output file `{0}` must be a plain file name such as `my_schema.rs`")]
    OutFile(String),
    /// The schema could not be read or is invalid (each error names file:line:column).
    #[error("{0}")]
    Schema(#[from] SchemaErrors),
    /// Code generation failed.
    #[error("{path}: {source}")]
    Generate {
        /// The schema file.
        path: PathBuf,
        /// What failed.
        source: GenerateError,
    },
    /// The generated file could not be written (or was refused by the rules of
    /// [`crate::output`]); the message names the file.
    #[error("cannot write {0}")]
    Write(#[from] OutputError),
}

/// Generates the typed module of a schema into `OUT_DIR`, for a build script.
///
/// Modelled on `prost_build::Config`: set options with `&mut self` methods, then call
/// [`Builder::compile`]. The output is prettyplease-formatted with an `// @generated`
/// header, and rewritten only when its content changes, so an unrelated rerun of the build
/// script does not rebuild the crate. `cargo:rerun-if-changed` lines are printed for the
/// schema file (switch off with [`Builder::emit_rerun_if_changed`]). Files are written by
/// the rules of [`crate::output`], as `xsoar-rel` writes its outputs: atomically, through an
/// exclusively created temporary file, following and keeping symbolic links, never creating
/// a missing directory and never replacing a read-only file, another user's file or a file
/// with other hard links.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    schema: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    out_file: Option<String>,
    /// The options given; a missing source label is the schema path.
    options: GenerateOptions,
    tables_file: Option<String>,
    /// No `cargo:rerun-if-changed` line.
    no_rerun: bool,
}

/// `&mut self` setters, each storing its argument in a field.
macro_rules! setters {
    ($($(#[$doc:meta])+ $name:ident($arg:ident: $ty:ty) => $($field:ident).+ = $value:expr;)+) => {
        $(
            $(#[$doc])+
            pub fn $name(&mut self, $arg: $ty) -> &mut Self {
                self.$($field).+ = $value;
                self
            }
        )+
    };
}

impl Builder {
    /// A builder with the defaults: runtime path `::relationship_core`, output in `OUT_DIR`,
    /// `rerun-if-changed` lines on.
    pub fn new() -> Self {
        Builder::default()
    }

    setters! {
        /// The schema file, relative to the package root (the build script's working
        /// directory) or absolute.
        schema(path: impl AsRef<Path>) => schema = Some(path.as_ref().to_owned());

        /// The output directory; `OUT_DIR` by default. It must exist: it is not created.
        out_dir(dir: impl AsRef<Path>) => out_dir = Some(dir.as_ref().to_owned());

        /// The output file name; by default the module name, or else the schema file's stem,
        /// plus `.rs`.
        out_file(name: impl Into<String>) => out_file = Some(name.into());

        /// Wraps the output in `pub mod <name> { ... }`, so that one `include!` at the place of
        /// the module defines it. Without it, the file holds bare items to `include!` inside a
        /// module you write yourself.
        module_name(name: impl Into<String>) => options.module_name = Some(name.into());

        /// The path generated code uses for the runtime crate (`::relationship_core`).
        runtime_path(path: impl Into<String>) => options.runtime_path = path.into();

        /// How the `@generated` header names the schema file (by default the path as given to
        /// [`Builder::schema`]).
        source_label(label: impl Into<String>) => options.source_label = Some(label.into());

        /// Also writes the schema as static tables (a `pub static TABLES:
        /// relationship_core::schema::tables::SchemaTables`) to this file in the output
        /// directory, so that the program can check data against its schema at run time
        /// (`TABLES.to_schema()`) without parsing JSON.
        tables_file(name: impl Into<String>) => tables_file = Some(name.into());

        /// Whether to print `cargo:rerun-if-changed=<schema>` (default `true`). Note that
        /// printing any such line makes Cargo stop watching the rest of the package for the
        /// build script; print `cargo:rerun-if-changed=build.rs` yourself if you need it.
        emit_rerun_if_changed(emit: bool) => no_rerun = !emit;
    }

    fn options(&self, schema: &Path) -> GenerateOptions {
        let mut options = self.options.clone();
        (options.source_label)
            .get_or_insert_with(|| schema.display().to_string().replace('\\', "/"));
        options
    }

    /// Reads the schema and returns the generated code, writing nothing.
    ///
    /// # Errors
    ///
    /// [`BuildError::NoSchema`], [`BuildError::Schema`] (file:line:column of every
    /// defect) or [`BuildError::Generate`].
    pub fn generate(&self) -> Result<String, BuildError> {
        let (path, schema) = self.load()?;
        self.generate_from(path, &schema)
    }

    fn load(&self) -> Result<(&Path, Schema), BuildError> {
        let path = self.schema.as_deref().ok_or(BuildError::NoSchema)?;
        let module = self.options.module_name.as_ref();
        if let Some(name) = module.filter(|n| syn::parse_str::<syn::Ident>(n).is_err()) {
            return Err(BuildError::ModuleName(name.clone()));
        }
        Ok((path, relationship_schema_parse::load(path)?))
    }

    fn generate_from(&self, path: &Path, schema: &Schema) -> Result<String, BuildError> {
        generate(schema, &self.options(path)).map_err(|source| BuildError::Generate {
            path: path.to_owned(),
            source,
        })
    }

    /// Generates the module and writes it to `OUT_DIR` (or [`Builder::out_dir`]) if its
    /// content changed. Returns the output file's path.
    ///
    /// # Errors
    ///
    /// Any [`BuildError`]; the schema's `rerun-if-changed` line is printed even when the
    /// schema is invalid, so fixing it reruns the build script.
    pub fn compile(&self) -> Result<PathBuf, BuildError> {
        let schema = self.schema.as_deref().ok_or(BuildError::NoSchema)?;
        if !self.no_rerun {
            println!("cargo:rerun-if-changed={}", schema.display());
        }
        let file_name = self.out_file_name(schema);
        check_file_name(&file_name)?;
        if let Some(tables) = &self.tables_file {
            check_file_name(tables)?;
        }
        let dir = (self.out_dir.clone())
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or(BuildError::NoOutDir)?;
        let (path, schema) = self.load()?;
        let out = dir.join(&file_name);
        write_if_changed(&out, self.generate_from(path, &schema)?.as_bytes())?;
        if let Some(tables) = &self.tables_file {
            let label = self.options(path).source_label;
            let code = generate_tables(&schema, &self.options.runtime_path, label.as_deref());
            write_if_changed(&dir.join(tables), code.as_bytes())?;
        }
        Ok(out)
    }

    /// [`Builder::out_file`], else the module name, else the schema file's stem, plus `.rs`.
    fn out_file_name(&self, schema: &Path) -> String {
        let stem = schema.file_stem().map(|s| s.to_string_lossy());
        let module = self.options.module_name.as_deref();
        let name = module.or(stem.as_deref()).unwrap_or("schema");
        (self.out_file.clone()).unwrap_or_else(|| format!("{name}.rs"))
    }
}

/// An output file name must be a plain name, without a directory part.
fn check_file_name(name: &str) -> Result<(), BuildError> {
    let as_path = Path::new(name);
    if name.is_empty() || as_path.file_name() != Some(as_path.as_os_str()) {
        return Err(BuildError::OutFile(name.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &str = r#"{
  "name": "tiny",
  "types": ["Account", "Host"],
  "reverse_only": ["used-by"],
  "relationships": [
    {"name": "uses", "reverse": "used-by", "rules": [{"from": ["Account"], "to": ["Host"]}]}
  ]
}"#;
    fn tmp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "relationship-codegen-builder-{}-{name}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// A temporary directory holding `tiny.json`, and a builder of that schema without
    /// `rerun-if-changed` lines that writes into the directory.
    fn tiny(name: &str) -> (PathBuf, Builder) {
        let dir = tmp(name);
        let path = dir.join("tiny.json");
        std::fs::write(&path, SCHEMA).unwrap();
        let mut builder = Builder::new();
        builder
            .schema(&path)
            .emit_rerun_if_changed(false)
            .out_dir(&dir);
        (dir, builder)
    }

    #[test]
    fn refuses_a_directory_and_writes_special_files_directly() {
        let dir = tmp("special");
        let err = write_if_changed(&dir, b"x").unwrap_err();
        assert!(matches!(err, OutputError::Refused { .. }), "{err}");
        if Path::new("/dev/null").exists() {
            assert!(write_if_changed(Path::new("/dev/null"), b"x").unwrap());
        }
    }

    #[cfg(unix)]
    #[test]
    fn compile_does_not_follow_a_planted_link_and_keeps_a_real_one() {
        let (dir, builder) = tiny("planted");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "precious\n").unwrap();
        // the temporary name an older version used
        let planted = dir.join(format!(".tiny.rs.{}.tmp", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        // the output itself is a link to a file elsewhere: it is followed and kept
        let real = dir.join("real.rs");
        std::fs::write(&real, "old\n").unwrap();
        std::os::unix::fs::symlink("real.rs", dir.join("tiny.rs")).unwrap();
        let out = builder.compile().unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        assert!(
            std::fs::symlink_metadata(&out)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(
            std::fs::read_to_string(&real)
                .unwrap()
                .starts_with("// @generated")
        );
    }

    #[test]
    fn a_missing_out_dir_is_refused_not_created() {
        let (dir, mut builder) = tiny("no-out-dir");
        let err = builder.out_dir(dir.join("missing")).compile().unwrap_err();
        assert!(matches!(err, BuildError::Write(_)), "{err}");
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(!dir.join("missing").exists());
    }

    #[test]
    fn writes_only_when_changed() {
        let dir = tmp("write");
        let f = dir.join("x.rs");
        assert!(write_if_changed(&f, b"a").unwrap());
        assert!(!write_if_changed(&f, b"a").unwrap());
        assert!(write_if_changed(&f, b"b").unwrap());
        assert_eq!(std::fs::read(&f).unwrap(), b"b");
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_is_readable_like_any_new_file_and_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tmp("modes");
        let f = dir.join("x.rs");
        let _ = std::fs::remove_file(&f);
        assert!(write_if_changed(&f, b"a").unwrap());
        let mode = |f: &Path| std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        // not the temporary file's 0600: readable by others unless the umask says otherwise
        assert_ne!(mode(&f), 0o600);
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(write_if_changed(&f, b"b").unwrap());
        assert_eq!(mode(&f), 0o640);
    }

    #[test]
    fn missing_schema_and_out_dir_are_errors() {
        assert_eq!(
            Builder::new().compile().unwrap_err().to_string(),
            "no schema file: call `Builder::schema(\"schemas/....json\")`"
        );
        let err = Builder::new()
            .schema("x.json")
            .emit_rerun_if_changed(false)
            .out_file("../x.rs")
            .out_dir("/nonexistent")
            .compile()
            .unwrap_err();
        assert!(matches!(err, BuildError::OutFile(_)), "{err}");
        let err = Builder::new()
            .schema("x.json")
            .module_name("not a name")
            .generate()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "module name `not a name` is not a valid Rust identifier"
        );
    }

    #[test]
    fn unreadable_schema_names_the_file() {
        let err = Builder::new()
            .schema("/nonexistent/my.json")
            .emit_rerun_if_changed(false)
            .out_dir(tmp("missing"))
            .compile()
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/my.json"), "{err}");
    }

    #[test]
    fn invalid_schema_error_has_line_and_column() {
        let dir = tmp("invalid");
        let path = dir.join("bad.json");
        std::fs::write(&path, "{\n  \"name\": \"bad\",\n  \"types\": 3\n}\n").unwrap();
        let err = Builder::new()
            .schema(&path)
            .emit_rerun_if_changed(false)
            .out_dir(&dir)
            .compile()
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&format!("{}:3:", path.display())), "{text}");
    }

    #[test]
    fn compiles_into_out_dir_with_module() {
        let (dir, mut builder) = tiny("ok");
        builder
            .source_label("schemas/tiny.json")
            .module_name("tiny");
        let out = builder.compile().unwrap();
        assert_eq!(out, dir.join("tiny.rs"));
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(
            "// @generated by relationship-codegen from `schemas/tiny.json` (schema `tiny`)."
        ));
        assert!(text.contains("pub mod tiny {"));
        assert!(text.contains("impl UsesTarget<t::Account> for t::Host {}"));
        let before = std::fs::metadata(&out).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        builder.compile().unwrap();
        let after = std::fs::metadata(&out).unwrap().modified().unwrap();
        assert_eq!(before, after, "unchanged output must not be rewritten");
    }
}

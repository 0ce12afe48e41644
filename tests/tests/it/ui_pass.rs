//! The programs of `ui/pass/` must compile and run: each is a module of this test binary and
//! its `main` a test. Built with the rest of the suite, they cost no build of their own
//! (trybuild would build each as a crate of its own, and every dependency once more).

macro_rules! pass_cases {
    ($($case:ident),* $(,)?) => {
        $(
            mod $case {
                include!(concat!("../../ui/pass/", stringify!($case), ".rs"));

                #[test]
                fn runs() {
                    main();
                }
            }
        )*
    };
}

pass_cases!(
    attck_chains,
    crate_and_schema_paths,
    derive_and_construct,
    policy_assertions,
    relationships_generic_record,
    relationships_option_fields,
    seed_example,
);

/// Every program in `ui/pass/` is one of the modules above.
#[test]
fn every_pass_case_is_compiled_here() {
    let listed = include_str!("ui_pass.rs");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/pass");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("ui/pass is readable") {
        let name = entry.expect("ui/pass entry").file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".rs")
            && !listed.contains(&format!("    {},\n", name.trim_end_matches(".rs")))
        {
            missing.push(name.into_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "not compiled by ui_pass.rs: {missing:?}"
    );
}

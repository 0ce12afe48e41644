//! The `error_enum!` macro that declares the crate's error enums ([`crate::error::ErrorKind`],
//! [`crate::model::ModelError`]) with each message beside its variant.

/// Declares an error enum and its `Display`: each variant is followed by `=>` and its
/// message, a format string over the variant's fields (tuple fields are named for it). The
/// message ends the variant's documentation, so it also says what each field holds.
macro_rules! error_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident
                $( ( $($tuple:ident: $tty:ty),* ) )?
                $( { $( $field:ident: $fty:ty ),* $(,)? } )?
                => $fmt:literal $(, $arg:expr)* ;
            )*
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[doc = ""]
                #[doc = concat!("Message: `` ", $fmt, " ``")]
                $variant $( ( $($tty),* ) )? $( { $( $field: $fty ),* } )?,
            )*
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $(
                        Self::$variant $( ( $($tuple),* ) )? $( { $($field),* } )?
                            => write!(f, $fmt $(, $arg)*),
                    )*
                }
            }
        }
    };
}
pub(crate) use error_enum;

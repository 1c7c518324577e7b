//! JSON arrays of thousands of records (an import's annotations, a stored
//! article's), read without a list that grows by doubling.

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::marker::PhantomData;

/// A JSON array read into pieces of a fixed length. A `Vec` grows by
/// doubling: it holds up to twice what it needs, and each time it grows
/// there is a moment with the old and the new buffer both alive. For
/// 20,000 annotations read as they are written (about 140 bytes each in
/// wasm) that moment set the import's peak. Pieces never move, and are
/// freed one by one as the items are taken out (`into_iter`).
pub(super) struct Chunked<T>(Vec<Vec<T>>);

/// Items per piece: about 140 KB of annotations.
const PIECE: usize = 1024;

impl<T> Chunked<T> {
    pub(super) fn len(&self) -> usize {
        self.0.iter().map(Vec::len).sum()
    }

    pub(super) fn into_iter(self) -> impl Iterator<Item = T> {
        self.0.into_iter().flatten()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Chunked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Items<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
            type Value = Chunked<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Chunked<T>, A::Error> {
                let mut pieces: Vec<Vec<T>> = vec![];
                while let Some(item) = seq.next_element()? {
                    match pieces.last_mut() {
                        Some(piece) if piece.len() < PIECE => piece.push(item),
                        _ => {
                            let mut piece = Vec::with_capacity(PIECE);
                            piece.push(item);
                            pieces.push(piece);
                        }
                    }
                }
                Ok(Chunked(pieces))
            }
        }
        d.deserialize_seq(Items(PhantomData))
    }
}

/// A JSON array as a `Vec` of exactly its length, read in pieces first (see
/// `Chunked`): for a field read with `#[serde(deserialize_with)]`. Each
/// piece is freed as soon as it has been moved into the list.
pub(super) fn exact_vec<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    let pieces = Chunked::<T>::deserialize(d)?;
    let mut all = Vec::with_capacity(pieces.len());
    for piece in pieces.0 {
        all.extend(piece);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_array_is_read_in_pieces_of_fixed_size_and_in_order() {
        let numbers: Vec<usize> = (0..2 * PIECE + 5).collect();
        let json = serde_json::to_string(&numbers).unwrap();
        let read: Chunked<usize> = serde_json::from_str(&json).unwrap();
        assert_eq!(read.len(), numbers.len());
        let sizes: Vec<(usize, usize)> = read.0.iter().map(|p| (p.len(), p.capacity())).collect();
        let full = (PIECE, PIECE);
        assert_eq!(sizes, [full, full, (5, PIECE)]);
        assert!(read.into_iter().eq(numbers));
        assert!(serde_json::from_str::<Chunked<usize>>("{}").is_err());
        assert_eq!(serde_json::from_str::<Chunked<usize>>("[]").unwrap().len(), 0);
    }

    #[test]
    fn an_exact_list_is_as_long_as_what_was_read() {
        #[derive(Deserialize)]
        struct Holder {
            #[serde(deserialize_with = "exact_vec")]
            items: Vec<u32>,
        }
        let numbers: Vec<u32> = (0..PIECE as u32 + 7).collect();
        let json = format!("{{\"items\": {}}}", serde_json::to_string(&numbers).unwrap());
        let h: Holder = serde_json::from_str(&json).unwrap();
        assert_eq!(h.items, numbers);
        assert_eq!(h.items.capacity(), numbers.len());
        assert!(serde_json::from_str::<Holder>("{\"items\": 3}").is_err());
    }
}

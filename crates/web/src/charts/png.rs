//! A chart's bars as PNG images, for the documents that cannot hold SVG (the annual report's
//! .docx). The bars are those [`super::bars`] lays out for the page, filled as rectangles on a
//! white ground; the text (labels, values, legend) stays text in the document beside the image,
//! so no font is rasterised. The file is an 8-bit RGB PNG (ISO/IEC 15948: signature, `IHDR`,
//! one zlib `IDAT`, `IEND`, each chunk with its CRC-32), written with the zlib and CRC-32 crates
//! the zip writer already builds.

use std::io::Write;

use super::{Chart, BAR_HEIGHT, BAR_SPACE};

/// Pixels of the image per unit of the chart's layout (the bars' print sharpness).
pub const SCALE: u32 = 4;

/// A series' colour (as `static/app.css` and `static/report.css` draw `s0`, `s1`, `s2`).
pub fn colour(class: &str) -> [u8; 3] {
    match class {
        "s1" => [0xb3, 0x86, 0x00],
        "s2" => [0xb0, 0x00, 0x20],
        _ => [0x0b, 0x4f, 0x9c],
    }
}

/// A series' colour as the `RRGGBB` a document's text colour takes.
pub fn colour_hex(class: &str) -> String {
    colour(class).iter().map(|c| format!("{c:02x}")).collect()
}

/// An RGB image in memory, white where nothing is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    /// Rows top to bottom, three bytes a pixel.
    pub pixels: Vec<u8>,
}

impl Raster {
    pub fn new(width: u32, height: u32) -> Raster {
        Raster { width, height, pixels: vec![0xff; (width * height * 3) as usize] }
    }

    /// Fills the rectangle (clipped to the image).
    pub fn fill(&mut self, x: u32, y: u32, width: u32, height: u32, rgb: [u8; 3]) {
        for row in y.min(self.height)..(y + height).min(self.height) {
            for col in x.min(self.width)..(x + width).min(self.width) {
                let at = ((row * self.width + col) * 3) as usize;
                self.pixels[at..at + 3].copy_from_slice(&rgb);
            }
        }
    }

    pub fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let at = ((y * self.width + x) * 3) as usize;
        [self.pixels[at], self.pixels[at + 1], self.pixels[at + 2]]
    }

    /// The image as a PNG file.
    pub fn png(&self) -> Vec<u8> {
        // Each row is preceded by its filter type (0: none).
        let mut raw = Vec::with_capacity(self.pixels.len() + self.height as usize);
        for row in self.pixels.chunks((self.width * 3).max(1) as usize) {
            raw.push(0);
            raw.extend_from_slice(row);
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        // Writing into a Vec cannot fail.
        let data = z.write_all(&raw).and_then(|_| z.finish()).unwrap_or_default();
        let mut header = Vec::with_capacity(13);
        header.extend_from_slice(&self.width.to_be_bytes());
        header.extend_from_slice(&self.height.to_be_bytes());
        // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
        header.extend_from_slice(&[8, 2, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut out, b"IHDR", &header);
        chunk(&mut out, b"IDAT", &data);
        chunk(&mut out, b"IEND", &[]);
        out
    }
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// The bars of one group (a row of the chart: one bar a series), as the page lays them out,
/// scaled by [`SCALE`]: `BAR_SPACE` wide, one bar height a series.
pub fn group(chart: &Chart, index: usize) -> Raster {
    let per_group = chart.series.len().max(1);
    let bars = chart.bars.iter().skip(index * per_group).take(per_group);
    let mut image = Raster::new(BAR_SPACE * SCALE, BAR_HEIGHT * per_group as u32 * SCALE);
    for (s, bar) in bars.enumerate() {
        let top = s as u32 * BAR_HEIGHT + (BAR_HEIGHT - bar.height) / 2;
        image.fill(0, top * SCALE, bar.width * SCALE, bar.height * SCALE, colour(bar.class));
    }
    image
}

/// The distance from one bar of a group to the next when the group's image is `width` wide (in
/// the unit of `width`): where the value of each bar is written beside it.
pub fn bar_pitch(width: f64) -> f64 {
    width * f64::from(BAR_HEIGHT) / f64::from(BAR_SPACE)
}

/// A legend's colour square.
pub fn swatch(class: &str) -> Raster {
    let mut image = Raster::new(8 * SCALE, 8 * SCALE);
    image.fill(0, 0, 8 * SCALE, 8 * SCALE, colour(class));
    image
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::bars;
    use std::io::Read;

    /// Reads a PNG back: checks every chunk's CRC and returns the size and the inflated rows.
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let mut at = 8;
        let (mut width, mut height, mut data, mut kinds) = (0, 0, Vec::new(), Vec::new());
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind = &png[at + 4..at + 8];
            let body = &png[at + 8..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            let mut h = crc32fast::Hasher::new();
            h.update(kind);
            h.update(body);
            assert_eq!(h.finalize(), crc, "the CRC of {}", String::from_utf8_lossy(kind));
            match kind {
                b"IHDR" => {
                    width = u32::from_be_bytes(body[..4].try_into().unwrap());
                    height = u32::from_be_bytes(body[4..8].try_into().unwrap());
                    assert_eq!(&body[8..], &[8, 2, 0, 0, 0]);
                }
                b"IDAT" => data.extend_from_slice(body),
                _ => {}
            }
            kinds.push(String::from_utf8_lossy(kind).to_string());
            at += 12 + len;
        }
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&data[..]).read_to_end(&mut raw).unwrap();
        (width, height, raw)
    }

    #[test]
    fn a_png_reads_back_to_its_pixels() {
        let mut image = Raster::new(5, 3);
        image.fill(1, 1, 3, 9, [1, 2, 3]);
        let (width, height, raw) = decode(&image.png());
        assert_eq!((width, height), (5, 3));
        assert_eq!(raw.len(), 3 * (1 + 5 * 3), "a filter byte and the pixels of each row");
        let rows: Vec<&[u8]> = raw.chunks(16).collect();
        assert!(rows.iter().all(|r| r[0] == 0));
        assert_eq!(&rows[0][1..], &[0xff; 15][..], "the first row is untouched");
        assert_eq!(&rows[1][1..4], &[0xff; 3], "left of the rectangle");
        assert_eq!(&rows[1][4..13], &[1, 2, 3, 1, 2, 3, 1, 2, 3]);
        assert_eq!(&rows[2][13..16], &[0xff; 3], "right of the rectangle");
        assert_eq!(&rows[2][4..7], &[1, 2, 3], "clipped at the bottom, not wrapped");
    }

    #[test]
    fn a_group_draws_the_bars_the_page_draws() {
        let groups =
            vec![("一月".to_string(), vec![Some(4.0), Some(1.0)]), ("二月".to_string(), vec![Some(2.0), None])];
        let chart = bars("c", "t", &["提交", "办结"], &groups, None, |v| v.to_string());
        let first = group(&chart, 0);
        assert_eq!((first.width, first.height), (BAR_SPACE * SCALE, 2 * BAR_HEIGHT * SCALE));
        let middle = |s: u32| (s * BAR_HEIGHT + BAR_HEIGHT / 2) * SCALE;
        // The largest value fills the row; the other a quarter of it, in its own colour.
        assert_eq!(first.pixel(first.width - 1, middle(0)), colour("s0"));
        assert_eq!(first.pixel(BAR_SPACE * SCALE / 4 - 1, middle(1)), colour("s1"));
        assert_eq!(first.pixel(BAR_SPACE * SCALE / 4 + 1, middle(1)), [0xff; 3]);
        let second = group(&chart, 1);
        assert_eq!(second.pixel(BAR_SPACE * SCALE / 2 - 1, middle(0)), colour("s0"));
        assert_eq!(second.pixel(BAR_SPACE * SCALE / 2 + 1, middle(0)), [0xff; 3]);
        assert!((0..second.width).all(|x| second.pixel(x, middle(1)) == [0xff; 3]), "no data, no bar");
        let (w, h, _) = decode(&second.png());
        assert_eq!((w, h), (second.width, second.height));
        assert_eq!(colour_hex("s2"), "b00020");
    }
}

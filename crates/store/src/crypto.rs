//! Keys and ciphers for personal data and for signing checkpoints, all national standards:
//! SM4 (GB/T 32907) in GCM mode for ID and phone numbers at rest, HMAC-SM3 (GB/T 32905) as the
//! keyed hash that finds a person by ID number without decrypting, SM2 (GB/T 32918) signatures
//! on the full-process record's checkpoints.
//!
//! One 32-byte master key, from `MINZHENG_DATA_KEY` (64 hex digits) or a key file, is expanded
//! with HMAC-SM3 into the three keys. The key is never stored in the database.

use std::path::Path;

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::AesGcm;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm3::Sm3;

use crate::{StoreError, StoreResult};

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;
type HmacSm3 = Hmac<Sm3>;

/// The distinguishing identifier for SM2 signatures (GM/T 0009-2012 default).
const SM2_DISTID: &str = "1234567812345678";

/// The expanded keys. `Debug` prints nothing secret.
#[derive(Clone)]
pub struct Keys {
    sm4: [u8; 16],
    lookup: [u8; 32],
    signing: sm2::SecretKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys(public={})", self.public_key_hex())
    }
}

fn derive(master: &[u8; 32], label: &str) -> [u8; 32] {
    let mut mac = <HmacSm3 as Mac>::new_from_slice(master).expect("HMAC takes any key length");
    mac.update(b"minzheng/");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

impl Keys {
    pub fn from_master(master: &[u8; 32]) -> Keys {
        let sm4_full = derive(master, "sm4");
        let mut sm4 = [0u8; 16];
        sm4.copy_from_slice(&sm4_full[..16]);
        let lookup = derive(master, "lookup");
        let signing = (0u32..)
            .find_map(|i| sm2::SecretKey::from_slice(&derive(master, &format!("sm2/{i}"))).ok())
            .expect("a valid SM2 scalar within a few tries");
        Keys { sm4, lookup, signing }
    }

    /// Parses 64 hex digits.
    pub fn from_hex(hex_key: &str) -> StoreResult<Keys> {
        let bytes = hex::decode(hex_key.trim()).map_err(|_| bad_key())?;
        let master: [u8; 32] = bytes.try_into().map_err(|_| bad_key())?;
        Ok(Keys::from_master(&master))
    }

    /// A fresh random master key, as hex.
    pub fn generate_hex() -> String {
        let mut master = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut master);
        hex::encode(master)
    }

    /// Reads the key file, or creates it (mode 0600) when absent. Returns whether it was created.
    pub fn load_or_create(path: &Path) -> StoreResult<(Keys, bool)> {
        if path.exists() {
            let text = std::fs::read_to_string(path)
                .map_err(|e| StoreError::Invalid(format!("无法读取密钥文件 {}：{e}", path.display())))?;
            return Ok((Keys::from_hex(&text)?, false));
        }
        let hex_key = Keys::generate_hex();
        write_private_file(path, &hex_key)?;
        Ok((Keys::from_hex(&hex_key)?, true))
    }

    /// Encrypts a personal field. The field name is bound as associated data, so a cipher text
    /// copied into another column does not decrypt. Output: base64(nonce ‖ cipher text ‖ tag).
    pub fn encrypt(&self, field: &str, plaintext: &str) -> String {
        let cipher = Sm4Gcm::new_from_slice(&self.sm4).expect("16-byte SM4 key");
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt((&nonce).into(), Payload { msg: plaintext.as_bytes(), aad: field.as_bytes() })
            .expect("SM4-GCM encryption of a short field cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    pub fn decrypt(&self, field: &str, sealed: &str) -> StoreResult<String> {
        let failed = || StoreError::Other(format!("无法解密字段 {field}：密钥不符或数据被改动"));
        let bytes = base64::engine::general_purpose::STANDARD.decode(sealed).map_err(|_| failed())?;
        if bytes.len() < 12 + 16 {
            return Err(failed());
        }
        let cipher = Sm4Gcm::new_from_slice(&self.sm4).expect("16-byte SM4 key");
        let (nonce, body) = bytes.split_at(12);
        let plain = cipher.decrypt(nonce.into(), Payload { msg: body, aad: field.as_bytes() }).map_err(|_| failed())?;
        String::from_utf8(plain).map_err(|_| failed())
    }

    /// The keyed hash for exact lookup: HMAC-SM3(lookup key, field ‖ 0 ‖ value), hex.
    pub fn lookup_hash(&self, field: &str, value: &str) -> String {
        let mut mac = <HmacSm3 as Mac>::new_from_slice(&self.lookup).expect("HMAC takes any key length");
        mac.update(field.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// SM2 signature over `message`, hex.
    pub fn sign(&self, message: &[u8]) -> String {
        let key = SigningKey::new(SM2_DISTID, &self.signing).expect("valid SM2 key");
        let signature: Signature = key.sign(message);
        hex::encode(signature.to_bytes())
    }

    /// The SM2 public key, SEC1 uncompressed, hex: publish it with the checkpoints.
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.signing.public_key().to_sec1_bytes())
    }
}

/// Verifies an SM2 signature made by [`Keys::sign`] against a published public key.
pub fn verify_signature(public_key_hex: &str, message: &[u8], signature_hex: &str) -> bool {
    let Ok(public) = hex::decode(public_key_hex) else {
        return false;
    };
    let Ok(signature) = hex::decode(signature_hex) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_sec1_bytes(SM2_DISTID, &public) else {
        return false;
    };
    let Ok(signature) = Signature::from_slice(&signature) else {
        return false;
    };
    key.verify(message, &signature).is_ok()
}

fn bad_key() -> StoreError {
    StoreError::Invalid("数据密钥须为64位十六进制字符（32字节），可用 `openssl rand -hex 32` 生成".into())
}

/// Writes a file readable by its owner only (0600 on Unix), atomically. The temporary file's
/// name is unique, so that two writers (the server and a CLI command) never interleave in it.
pub fn write_private_file(path: &Path, contents: &str) -> StoreResult<()> {
    let tmp = path.with_extension(format!("tmp-{}-{:08x}", std::process::id(), rand::random::<u32>()));
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| StoreError::Other(format!("无法写入 {}：{e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_master(&[7u8; 32])
    }

    #[test]
    fn encrypts_and_decrypts_with_field_binding() {
        let keys = keys();
        let sealed = keys.encrypt("id_number", "511702194001011706");
        assert!(!sealed.contains("511702"));
        assert_eq!(keys.decrypt("id_number", &sealed).unwrap(), "511702194001011706");
        assert!(keys.decrypt("phone", &sealed).is_err(), "a cipher text moved to another column must not decrypt");
        assert_ne!(sealed, keys.encrypt("id_number", "511702194001011706"), "fresh nonce each time");
        let other = Keys::from_master(&[8u8; 32]);
        assert!(other.decrypt("id_number", &sealed).is_err());
    }

    #[test]
    fn lookup_hash_is_keyed_and_stable() {
        let keys = keys();
        let a = keys.lookup_hash("id_number", "511702194001011706");
        assert_eq!(a, keys.lookup_hash("id_number", "511702194001011706"));
        assert_ne!(a, keys.lookup_hash("phone", "511702194001011706"));
        assert_ne!(a, Keys::from_master(&[8u8; 32]).lookup_hash("id_number", "511702194001011706"));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn signatures_verify_only_unchanged() {
        let keys = keys();
        let sig = keys.sign(b"checkpoint 1");
        assert!(verify_signature(&keys.public_key_hex(), b"checkpoint 1", &sig));
        assert!(!verify_signature(&keys.public_key_hex(), b"checkpoint 2", &sig));
        assert!(!verify_signature(&Keys::from_master(&[8u8; 32]).public_key_hex(), b"checkpoint 1", &sig));
    }

    #[test]
    fn bad_hex_keys_are_refused() {
        assert!(Keys::from_hex("abc").is_err());
        assert!(Keys::from_hex(&"g".repeat(64)).is_err());
        assert!(Keys::from_hex(&Keys::generate_hex()).is_ok());
    }
}

//! Keys and ciphers for personal data and for signing checkpoints, all national standards:
//! SM4 (GB/T 32907) in GCM mode for ID and phone numbers at rest, HMAC-SM3 (GB/T 32905) as the
//! keyed hash that finds a person by ID number without decrypting, SM2 (GB/T 32918) signatures
//! on the full-process record's checkpoints, and SM2 key agreement to seal what crosses to
//! another regional node for that node alone ([`Keys::sealer_for`]).
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
    /// The node's exchange key pair: other nodes seal personal data for its public half.
    exchange: sm2::SecretKey,
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
        let exchange = (0u32..)
            .find_map(|i| sm2::SecretKey::from_slice(&derive(master, &format!("sm2-exchange/{i}"))).ok())
            .expect("a valid SM2 scalar within a few tries");
        Keys { sm4, lookup, signing, exchange }
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

    /// This node's exchange public key (SM2, SEC1 uncompressed, hex): what another node seals
    /// personal data for when it sends it here ([`Keys::sealer_for`]).
    pub fn exchange_public_hex(&self) -> String {
        hex::encode(self.exchange.public_key().to_sec1_bytes())
    }

    /// A sealer for the node whose exchange public key is `receiver_public_hex`, for one
    /// message (`context`, its id). SM2 key agreement (GB/T 32918): an ephemeral key pair, the
    /// shared point with the receiver's key, HMAC-SM3 over it into an SM4-GCM key; only the
    /// receiver's secret key recovers it ([`Keys::opener`]). The ephemeral key is derived from
    /// this node's exchange key, the context and the receiver, so sealing the same message
    /// again (a publish repeated after a crash) gives the same bytes and the same key.
    pub fn sealer_for(&self, receiver_public_hex: &str, context: &str) -> StoreResult<Sealer> {
        let receiver = public_key(receiver_public_hex)?;
        let seed = self.exchange.to_bytes();
        let receiver_bytes = receiver.to_sec1_bytes();
        let ephemeral = (0u32..)
            .find_map(|i| {
                let mut mac = <HmacSm3 as Mac>::new_from_slice(&seed).expect("HMAC takes any key length");
                mac.update(b"minzheng/seal/");
                mac.update(context.as_bytes());
                mac.update(&[0]);
                mac.update(&receiver_bytes);
                mac.update(&i.to_be_bytes());
                sm2::SecretKey::from_slice(&mac.finalize().into_bytes()).ok()
            })
            .expect("a valid SM2 scalar within a few tries");
        let ephemeral_public = ephemeral.public_key();
        let key = agree(&ephemeral, &receiver, &ephemeral_public)?;
        Ok(Sealer { key, ephemeral: hex::encode(ephemeral_public.to_sec1_bytes()) })
    }

    /// The opener of what another node sealed for this one under `ephemeral_hex`.
    pub fn opener(&self, ephemeral_hex: &str) -> StoreResult<Opener> {
        let ephemeral = public_key(ephemeral_hex)?;
        Ok(Opener { key: agree(&self.exchange, &ephemeral, &ephemeral)? })
    }
}

fn public_key(public_hex: &str) -> StoreResult<sm2::PublicKey> {
    hex::decode(public_hex.trim())
        .ok()
        .and_then(|bytes| sm2::PublicKey::from_sec1_bytes(&bytes).ok())
        .ok_or_else(|| StoreError::Invalid("节点交换公钥无效".into()))
}

/// The SM4 key both sides of a seal compute: HMAC-SM3 keyed with the shared point
/// (`secret` × `other`), over the ephemeral public key.
fn agree(secret: &sm2::SecretKey, other: &sm2::PublicKey, ephemeral: &sm2::PublicKey) -> StoreResult<[u8; 16]> {
    let shared = (other.to_projective() * *secret.to_nonzero_scalar()).to_affine();
    let point = sm2::PublicKey::from_affine(shared).map_err(|_| StoreError::Invalid("密钥协商失败".into()))?;
    let mut mac = <HmacSm3 as Mac>::new_from_slice(&point.to_sec1_bytes()).expect("HMAC takes any key length");
    mac.update(b"minzheng/node-seal/");
    mac.update(&ephemeral.to_sec1_bytes());
    let full = mac.finalize().into_bytes();
    let mut key = [0u8; 16];
    key.copy_from_slice(&full[..16]);
    Ok(key)
}

/// The nonce of one sealed part: SM3 of its label (each label is sealed once per key).
fn label_nonce(label: &str) -> [u8; 12] {
    use sm3::Digest;
    let digest = Sm3::digest(format!("minzheng/nonce/{label}").as_bytes());
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&digest[..12]);
    nonce
}

/// Seals the parts of one message for one receiving node (see [`Keys::sealer_for`]).
pub struct Sealer {
    key: [u8; 16],
    /// The ephemeral public key (hex) the receiver needs to open the parts.
    pub ephemeral: String,
}

impl Sealer {
    /// SM4-GCM with the label as associated data: a part moved under another label does not open.
    pub fn seal(&self, label: &str, plain: &[u8]) -> Vec<u8> {
        let cipher = Sm4Gcm::new_from_slice(&self.key).expect("16-byte SM4 key");
        cipher
            .encrypt((&label_nonce(label)).into(), Payload { msg: plain, aad: label.as_bytes() })
            .expect("SM4-GCM encryption cannot fail")
    }
}

/// Opens the parts another node sealed for this one.
pub struct Opener {
    key: [u8; 16],
}

impl Opener {
    pub fn open(&self, label: &str, sealed: &[u8]) -> StoreResult<Vec<u8>> {
        let cipher = Sm4Gcm::new_from_slice(&self.key).expect("16-byte SM4 key");
        cipher
            .decrypt((&label_nonce(label)).into(), Payload { msg: sealed, aad: label.as_bytes() })
            .map_err(|_| StoreError::Other(format!("无法解密 {label}：不是为本节点加密，或数据被改动")))
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
    fn a_seal_opens_only_for_the_receiving_node() {
        let (sender, receiver, third) = (keys(), Keys::from_master(&[8u8; 32]), Keys::from_master(&[9u8; 32]));
        let sealer = sender.sealer_for(&receiver.exchange_public_hex(), "message-1").expect("sealer");
        let sealed = sealer.seal("applicant", b"511702194001011706");
        assert!(!sealed.windows(6).any(|w| w == b"511702"));
        let opened = receiver.opener(&sealer.ephemeral).expect("opener").open("applicant", &sealed).expect("opens");
        assert_eq!(opened, b"511702194001011706");
        // Not the sender's own key, nor a third node's; not under another label.
        assert!(sender.opener(&sealer.ephemeral).expect("opener").open("applicant", &sealed).is_err());
        assert!(third.opener(&sealer.ephemeral).expect("opener").open("applicant", &sealed).is_err());
        assert!(receiver.opener(&sealer.ephemeral).expect("opener").open("document:x", &sealed).is_err());
        // The same message sealed again (a repeated publish) gives the same bytes; another
        // message another key.
        let again = sender.sealer_for(&receiver.exchange_public_hex(), "message-1").expect("sealer");
        assert_eq!(
            (again.ephemeral.as_str(), again.seal("applicant", b"511702194001011706")),
            (sealer.ephemeral.as_str(), sealed.clone())
        );
        let other = sender.sealer_for(&receiver.exchange_public_hex(), "message-2").expect("sealer");
        assert_ne!(other.seal("applicant", b"511702194001011706"), sealed);
        assert!(sender.sealer_for("04abcd", "message-3").is_err(), "a key that is no SM2 point");
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

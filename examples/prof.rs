use chanjiao::serve::Preview;
use chanjiao::site::RenderCache;
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = std::env::args().nth(1).unwrap();
    let root = Path::new(&root);
    let mut p = Preview::new(root, false);
    let mut cache = RenderCache::default();
    let t = Instant::now();
    p.rebuild(&[], &mut cache).ok().unwrap();
    eprintln!("first {:?}", t.elapsed());
    p.trust_watcher();
    saves(&mut p, &mut cache, root);
}

#[inline(never)]
fn saves(p: &mut Preview, cache: &mut RenderCache, root: &Path) {
    let rel = "content/consortia/c000/announcements/a0100.md";
    let path = root.join(rel);
    for i in 0..5 {
        let s = std::fs::read_to_string(&path).unwrap();
        let s = s.replacen("title = \"", &format!("title = \"{i}"), 1);
        std::fs::write(&path, s).unwrap();
        let t = Instant::now();
        let r = p.rebuild(&[rel.to_string()], cache).ok().unwrap();
        eprintln!("save {i}: {:?} {}", t.elapsed(), r.changed.len());
    }
}
